/**
 * The cluster of a real run: `kactor cluster up` as a child process on 127.0.0.1, ready once it prints its
 * `bootstrap:` line (bounded by its own --ready-timeout-ms); brokers killed, stopped and started through its
 * control channel, as `kactor cluster kill|stop|start N` does (in-process, so a fault lands when the timeline
 * says, not a CLI start-up later); the group coordinator and partition leaders found with an Admin client.
 */
import { resolve } from 'node:path';
// Probing for free ports on 127.0.0.1 before `cluster up` binds them: process plumbing at the CLI's edge,
// never part of an actor or of the simulated cluster's network.
// eslint-disable-next-line no-restricted-imports
import { createServer } from 'node:net';
import { Admin, systemClientRuntime } from '@kactor/client';
import { SystemClock } from '@kactor/runtime';
import { sendControlRequest, type ControlCommand } from '../commands/cluster-control.js';
import { startCli, type CliProcess } from './cli-process.js';

export interface RealClusterOptions {
  brokers: number;
  controllers?: number;
  /** Broker configs by Kafka name (`--override k=v`). */
  config: Record<string, string>;
  dataDir: string;
  readyTimeoutMs: number;
}

export class RealCluster {
  private constructor(
    readonly bootstrap: string,
    private readonly dataDir: string,
    private readonly command: CliProcess,
    readonly admin: Admin,
  ) {}

  static async start(options: RealClusterOptions): Promise<RealCluster> {
    const dataDir = resolve(options.dataDir);
    const basePort = await freeBasePort(options.brokers);
    const args = [
      'cluster',
      'up',
      '--brokers',
      String(options.brokers),
      ...(options.controllers === undefined ? [] : ['--controllers', String(options.controllers)]),
      '--base-port',
      String(basePort),
      '--data-dir',
      dataDir,
      '--ready-timeout-ms',
      String(options.readyTimeoutMs),
      ...Object.entries(options.config).flatMap(([name, value]) => ['--override', `${name}=${value}`]),
    ];
    let announced: ((bootstrap: string) => void) | undefined;
    const bootstrapLine = new Promise<string>((done) => (announced = done));
    const command = startCli(args, (line) => {
      const match = /^bootstrap: (\S+)$/.exec(line);
      if (match?.[1] !== undefined) announced?.(match[1]);
    });
    // cluster up bounds its own start-up (--ready-timeout-ms) and exits when a broker does not come up.
    const bootstrap = await Promise.race([
      bootstrapLine,
      command.exited.then((exit) => {
        throw new Error(`kactor cluster up exited (${exit}) before it was ready: ${command.stderr().trim()}`);
      }),
    ]);
    return new RealCluster(bootstrap, dataDir, command, Admin.create({ 'bootstrap.servers': bootstrap }, systemClientRuntime()));
  }

  /** What `kactor cluster kill|stop|start N` does; rejects with cluster up's refusal. */
  async control(command: ControlCommand, brokerId: number): Promise<string> {
    const reply = await sendControlRequest(this.dataDir, this.dataDir, { command, brokerId }, 120_000);
    if (!reply.ok) throw new Error(`cluster ${command} ${brokerId}: ${reply.error}`);
    return reply.message;
  }

  /** The broker coordinating `group`. */
  async coordinatorOf(group: string): Promise<number> {
    const [description] = await this.admin.describeGroups([group]);
    const coordinator = description?.coordinator?.nodeId;
    if (coordinator === undefined) throw new Error(`no coordinator found for group ${group}`);
    return coordinator;
  }

  /** The leader of partition 0 of `topic`. */
  async leaderOf(topic: string): Promise<number> {
    const [description] = await this.admin.describeTopics([topic]);
    const leader = description?.partitions[0]?.leader ?? -1;
    if (leader < 0) throw new Error(`partition 0 of ${topic} has no leader`);
    return leader;
  }

  /** Stops every broker as Ctrl-C does (controlled shutdowns), killing cluster up if that takes over `timeoutMs`. */
  async stop(timeoutMs = 60_000): Promise<void> {
    this.admin.close();
    this.command.signal('SIGINT');
    const stopped = await Promise.race([this.command.exited.then(() => true), new Promise<false>((done) => unrefClock.setTimeout(() => done(false), timeoutMs))]);
    // Its brokers notice their parent's IPC channel close and shut down by themselves.
    if (!stopped) this.command.signal('SIGKILL');
  }
}

/** A bound on stopping must not keep the process alive once the cluster is gone. */
const unrefClock = new SystemClock({ unrefTimers: true });

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A base port with `count` free consecutive ports above it, spread by process id so parallel runs do not collide. */
async function freeBasePort(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const base = 20_000 + ((process.pid * 13 + attempt * 211) % 30_000);
    const checks = await Promise.all(Array.from({ length: count }, (_, index) => portIsFree(base + index)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error(`no ${count} free consecutive ports found on 127.0.0.1`);
}
