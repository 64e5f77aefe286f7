/**
 * The brokers of a `kactor cluster up`, each its own OS process: spawned with the same flags every time
 * (so `kactor cluster start N` brings broker N back exactly as it first ran), watched until they exit
 * (an exit nobody asked for is reported), published in `<data-dir>/cluster.json`, and stopped observers first,
 * the voters of the metadata quorum last. `handle` answers the control channel's kill, stop and start.
 * Every node runs in KRaft mode (issue 12): voters with the roles broker,controller, the others broker only, all
 * with the cluster's `--cluster-id` and the same `controller.quorum.voters` (among `override`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, type Logger } from '@kactor/runtime';
import { CliError } from '../support/errors.js';
import type { BrokerIpcMessage } from './broker.js';
import { clusterBrokerListener } from './broker-kafka-listener.js';
import type { ControlReply, ControlRequest } from './cluster-control.js';
import { controlDoneMessage, decideControl, type QuorumView } from './cluster-control-decisions.js';
import { ClusterStateInvariantError, removeClusterState, writeClusterState } from './cluster-state.js';

export interface BrokerLaunch {
  basePort: number;
  host: string;
  dataDir: string;
  secretFile?: string | undefined;
  clusterSecretFile: string;
  override: string[];
  inspectUrl?: string | undefined;
  /** How long a broker may take to be RUNNING, at start-up and on `kactor cluster start`. */
  readyTimeoutMs: number;
  /** The metadata quorum's voters (their `controller.quorum.voters` is among `override`), published in cluster.json. */
  voterIds: readonly number[];
  /** The id every node shares (`<data-dir>/cluster.id`), passed as `--cluster-id`. */
  clusterId: string;
  /** --kafka-port: broker N serves Kafka's clients on this + N (0: each a free port); undefined: none do (--no-kafka-listener). */
  kafkaPort?: number | undefined;
}

/** How long a broker gets for its controlled shutdown before it is killed. */
const shutdownGraceMs = 30_000;
/**
 * Each broker runs the same entry point as this process, with the same node flags: `node --import tsx main.ts`
 * (tests, `tsx`) or the `kactor` bin, which registers tsx itself (`pnpm kactor`, `pnpm start`).
 */
const mainScript = process.argv[1] ?? fileURLToPath(new URL('../main.ts', import.meta.url));

interface BrokerProcess {
  brokerId: number;
  port: number;
  child: ChildProcess;
  /** Resolves once the broker says it is RUNNING; rejects if it fails or exits first. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running: boolean;
  /** `host:port` of its Kafka listener, as it reported once running. */
  kafkaEndpoint?: string | undefined;
  /** Set when `kactor cluster kill|stop` asked for this exit, so it is not reported as unexpected. */
  requestedExit?: 'kill' | 'stop';
}

/**
 * `kactor broker ...` for node `brokerId`, the same on every start: a KRaft node (no `--controller`: it finds the
 * quorum's leader itself) with the roles broker,controller on a voter and broker on an observer, and the cluster's id.
 */
export function brokerCommandArguments(launch: BrokerLaunch, brokerId: number): string[] {
  return [
    'broker',
    '--id',
    String(brokerId),
    '--port',
    String(launch.basePort + brokerId),
    '--host',
    launch.host,
    '--data-dir',
    join(launch.dataDir, `broker-${brokerId}`),
    '--process-roles',
    launch.voterIds.includes(brokerId) ? 'broker,controller' : 'broker',
    '--cluster-id',
    launch.clusterId,
    ...(launch.secretFile === undefined ? [] : ['--secret-file', launch.secretFile]),
    '--cluster-secret-file',
    launch.clusterSecretFile,
    ...launch.override.flatMap((entry) => ['--override', entry]),
    ...(launch.inspectUrl === undefined ? [] : ['--inspect', launch.inspectUrl]),
    ...(launch.kafkaPort === undefined ? [] : ['--listeners', clusterBrokerListener(launch.host, launch.kafkaPort, brokerId)]),
  ];
}

function isAlive(broker: BrokerProcess): boolean {
  return broker.child.exitCode === null && broker.child.signalCode === null;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ?? `exit code ${code}`;
}

export class ClusterSupervisor {
  private readonly brokers = new Map<number, BrokerProcess>();
  /** Set once the whole cluster stops (Ctrl-C or a failed start-up): exits are expected, requests refused. */
  stopping = false;

  constructor(
    private readonly launch: BrokerLaunch,
    private readonly brokerCount: number,
    private readonly logger: Logger,
  ) {}

  startAll(): void {
    for (let brokerId = 0; brokerId < this.brokerCount; brokerId += 1) this.spawnBroker(brokerId);
  }

  /** Every broker RUNNING within `timeoutMs`, or a CliError naming the first that failed or the ones missing. */
  async waitUntilReady(): Promise<void> {
    const timeoutMs = this.launch.readyTimeoutMs;
    let timer: ReturnType<typeof systemClock.setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = systemClock.setTimeout(() => {
        const missing = [...this.brokers.values()].filter((broker) => !broker.running).map((broker) => broker.brokerId);
        reject(new CliError(`broker(s) ${missing.join(', ')} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([Promise.all([...this.brokers.values()].map((broker) => broker.ready)), timedOut]);
    } finally {
      if (timer !== undefined) systemClock.clearTimeout(timer);
    }
  }

  bootstrap(): string[] {
    return [...this.brokers.values()].map((broker) => `ws://${this.launch.host}:${broker.port}`);
  }

  /** Every broker's Kafka listener (`host:port`), as they reported it; empty when they serve no Kafka clients. */
  kafkaBootstrap(): string[] {
    return [...this.brokers.values()].flatMap((broker) => (broker.kafkaEndpoint === undefined ? [] : [broker.kafkaEndpoint]));
  }

  /**
   * Observers first and the voters last, so every broker can still reach the quorum for its controlled shutdown. The
   * voters stop together: each one's shutdown is bounded (it gives up on the quorum after broker.session.timeout.ms),
   * and the leader resigns to the others as it goes.
   */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const all = [...this.brokers.values()];
    const isVoter = (broker: BrokerProcess) => this.launch.voterIds.includes(broker.brokerId);
    await Promise.all(all.filter((broker) => !isVoter(broker)).map((broker) => this.stopBroker(broker)));
    await Promise.all(all.filter(isVoter).map((broker) => this.stopBroker(broker)));
    removeClusterState(this.launch.dataDir);
  }

  /** A second Ctrl-C: no more waiting. */
  killAll(): void {
    for (const broker of this.brokers.values()) if (isAlive(broker)) broker.child.kill('SIGKILL');
  }

  /** Answers `kactor cluster kill|stop|start N`. */
  async handle(request: ControlRequest): Promise<ControlReply> {
    const { brokerId } = request;
    const broker = this.brokers.get(brokerId);
    const view = { stopping: this.stopping, brokerCount: this.brokerCount, broker: broker === undefined ? undefined : { running: isAlive(broker), pid: broker.child.pid } };
    const decision = decideControl(request, view);
    if ('refuse' in decision) return decision.refuse;
    if (decision.act === 'start') return this.restart(brokerId);
    // decideControl refuses a broker cluster up does not have, so one to kill or stop is always known here.
    if (broker === undefined) throw new Error(`invariant: no broker ${brokerId} to ${decision.act}`);
    const pid = broker.child.pid;
    broker.requestedExit = decision.act;
    if (decision.act === 'kill') {
      broker.child.kill('SIGKILL');
      await broker.exited;
      return { ok: true, message: controlDoneMessage('kill', brokerId, pid, this.quorumView()) };
    }
    const { code, signal } = await this.stopBroker(broker);
    if (code !== 0) return { ok: false, error: `broker ${brokerId} did not stop cleanly (${describeExit(code, signal)})` };
    return { ok: true, message: controlDoneMessage('stop', brokerId, pid, this.quorumView()) };
  }

  private quorumView(): QuorumView {
    const runningVoterIds = this.launch.voterIds.filter((id) => {
      const broker = this.brokers.get(id);
      return broker !== undefined && isAlive(broker);
    });
    return { voterIds: this.launch.voterIds, runningVoterIds };
  }

  private async restart(brokerId: number): Promise<ControlReply> {
    const broker = this.spawnBroker(brokerId);
    const timeoutMs = this.launch.readyTimeoutMs;
    let timer: ReturnType<typeof systemClock.setTimeout> | undefined;
    try {
      await Promise.race([
        broker.ready,
        new Promise<never>((_, reject) => {
          timer = systemClock.setTimeout(() => reject(new CliError(`broker ${brokerId} did not start within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      if (isAlive(broker)) broker.child.kill('SIGKILL');
      const message = error instanceof Error ? error.message : String(error);
      // Ctrl-C while it started stops it on purpose: that is not a failure to report.
      if (!this.stopping) this.logger.error({ brokerId }, message);
      return { ok: false, error: message };
    } finally {
      if (timer !== undefined) systemClock.clearTimeout(timer);
    }
    this.logger.info({ brokerId }, `broker ${brokerId} started again (pid ${broker.child.pid}) by kactor cluster start`);
    return { ok: true, message: controlDoneMessage('start', brokerId, broker.child.pid) };
  }

  private spawnBroker(brokerId: number): BrokerProcess {
    const { launch } = this;
    const port = launch.basePort + brokerId;
    const args = [...process.execArgv, mainScript, ...brokerCommandArguments(launch, brokerId)];
    // Each broker gets its own process group, so a terminal's Ctrl-C reaches only `cluster up`, which stops
    // the brokers in order; a broker whose parent dies notices its IPC channel close and shuts down itself.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
    const broker: BrokerProcess = { brokerId, port, child, exited, running: false, ready: Promise.resolve() };
    broker.ready = new Promise<void>((resolvePromise, reject) => {
      child.on('message', (message: BrokerIpcMessage) => {
        if (message.type === 'ready') {
          broker.running = true;
          broker.kafkaEndpoint = message.kafkaEndpoint;
          resolvePromise();
        } else if (message.type === 'failed') {
          reject(new CliError(`broker ${brokerId} failed to start: ${message.message}`));
        }
      });
      void exited.then(({ code, signal }) => reject(new CliError(`broker ${brokerId} exited during start-up (${describeExit(code, signal)})`)));
    });
    // Whoever awaits `ready` handles its failure; this only keeps an unawaited one from being unhandled.
    broker.ready.catch(() => undefined);
    void exited.then(({ code, signal }) => this.onExit(broker, code, signal));
    this.brokers.set(brokerId, broker);
    this.publish();
    return broker;
  }

  private onExit(broker: BrokerProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.stopping && broker.running) {
      const { brokerId } = broker;
      if (broker.requestedExit === 'kill') this.logger.warn({ brokerId }, `broker ${brokerId} killed (${describeExit(code, signal)}) by kactor cluster kill; kactor cluster start ${brokerId} brings it back`);
      else if (broker.requestedExit === 'stop') this.logger.info({ brokerId }, `broker ${brokerId} stopped (${describeExit(code, signal)}) by kactor cluster stop; kactor cluster start ${brokerId} brings it back`);
      else this.logger.error({ brokerId }, `broker ${brokerId} exited unexpectedly (${describeExit(code, signal)})`);
    }
    // A broker replaced by a restart is not this one any more: only the current process is published.
    if (this.brokers.get(broker.brokerId) === broker && !this.stopping) this.publish();
  }

  private async stopBroker(broker: BrokerProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!isAlive(broker)) return broker.exited;
    broker.child.kill('SIGTERM');
    const timer = systemClock.setTimeout(() => {
      this.logger.warn({ brokerId: broker.brokerId }, `broker ${broker.brokerId} did not stop within ${shutdownGraceMs} ms: killing it`);
      broker.child.kill('SIGKILL');
    }, shutdownGraceMs);
    const exit = await broker.exited;
    systemClock.clearTimeout(timer);
    return exit;
  }

  /** Rewrites cluster.json; a failure to write it is logged, never fatal: the brokers matter more than the file. */
  private publish(): void {
    const brokers = [...this.brokers.values()]
      .sort((a, b) => a.brokerId - b.brokerId)
      .map((broker) => ({ brokerId: broker.brokerId, port: broker.port, pid: isAlive(broker) ? (broker.child.pid ?? null) : null }));
    try {
      writeClusterState(this.launch.dataDir, { pid: process.pid, host: this.launch.host, voters: [...this.launch.voterIds], brokers });
    } catch (error) {
      if (error instanceof ClusterStateInvariantError) throw error;
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not write cluster.json');
    }
  }
}
