/**
 * Three `kactor broker` processes on 127.0.0.1 for the quorum benchmarks, started by the benchmark itself (not by
 * `cluster up`) so it holds each node's process: a `kill -9` is `SIGKILL` to that process, sent the moment the clock
 * starts, and a restart is the same command again.
 *
 * - `kraft`: every node is broker and controller and a voter of the metadata quorum
 *   (`--cluster-id ID --override controller.quorum.voters=0@127.0.0.1:P0,1@...`), what `cluster up` runs since issue 12;
 * - `single`: today's single controller on node 0 (`--process-roles broker,controller`), nodes 1 and 2 broker only
 *   (`--controller ws://127.0.0.1:P0`), as before issue 12.
 *
 * Each node reports `ready` over the IPC channel `kactor broker` opens when it runs under a supervisor.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repositoryRoot = resolve(import.meta.dirname, '..');
const main = join(repositoryRoot, 'apps/cli/src/main.ts');
const host = '127.0.0.1';

export type QuorumMode = 'kraft' | 'single';

export interface QuorumNodes {
  readonly mode: QuorumMode;
  readonly nodeIds: readonly number[];
  /** Every node, as a client's `bootstrap.servers`. */
  readonly bootstrap: string;
  /** The node's WebSocket URL. */
  urlOf(nodeId: number): string;
  isRunning(nodeId: number): boolean;
  /** SIGKILL to the node's process; resolves once it is gone. */
  kill(nodeId: number): Promise<void>;
  /** Starts the node again with the same command; resolves once it reports ready (RUNNING). */
  start(nodeId: number): Promise<void>;
  /** SIGKILL to every node (a benchmark needs no clean stop) and the data removed. */
  stop(): Promise<void>;
}

interface NodeProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

/** How long one node may take to report ready; tsx compiles the CLI at every start. */
const readyTimeoutMs = 60_000;

export async function startQuorumNodes(mode: QuorumMode, basePort: number, overrides: readonly string[] = []): Promise<QuorumNodes> {
  const nodeIds = [0, 1, 2];
  const dataDir = mkdtempSync(join(tmpdir(), `kactor-bench-${mode}-`));
  const clusterSecretFile = join(dataDir, 'cluster.secret');
  writeFileSync(clusterSecretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const port = (nodeId: number) => basePort + nodeId;
  const voters = nodeIds.map((nodeId) => `${nodeId}@${host}:${port(nodeId)}`).join(',');
  const argumentsOf = (nodeId: number): string[] => [
    'broker',
    '--id',
    String(nodeId),
    '--port',
    String(port(nodeId)),
    '--host',
    host,
    '--data-dir',
    join(dataDir, `node-${nodeId}`),
    '--cluster-secret-file',
    clusterSecretFile,
    ...(mode === 'kraft'
      ? ['--process-roles', 'broker,controller', '--cluster-id', 'bench-quorum-cluster', '--override', `controller.quorum.voters=${voters}`]
      : nodeId === 0
        ? ['--process-roles', 'broker,controller']
        : ['--process-roles', 'broker', '--controller', `ws://${host}:${port(0)}`]),
    ...overrides.flatMap((entry) => ['--override', entry]),
  ];
  const running = new Map<number, NodeProcess>();

  const start = (nodeId: number): Promise<void> => {
    if (running.has(nodeId)) return Promise.reject(new Error(`node ${nodeId} is already running`));
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...argumentsOf(nodeId)], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, KACTOR_LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    running.set(nodeId, { child, exited });
    return new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`node ${nodeId} did not report ready within ${readyTimeoutMs} ms: ${stderr}`)), readyTimeoutMs);
      child.on('message', (message: { type?: string; message?: string }) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          done();
        } else if (message.type === 'failed') {
          clearTimeout(timer);
          fail(new Error(`node ${nodeId} failed to start: ${message.message ?? ''}`));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (running.get(nodeId)?.child === child) running.delete(nodeId);
        fail(new Error(`node ${nodeId} exited (${signal ?? `code ${code}`}) before it was ready: ${stderr}`));
      });
    });
  };

  const kill = async (nodeId: number): Promise<void> => {
    const node = running.get(nodeId);
    if (node === undefined) return;
    running.delete(nodeId);
    node.child.kill('SIGKILL');
    await node.exited;
  };

  const stop = async (): Promise<void> => {
    await Promise.all([...running.keys()].map((nodeId) => kill(nodeId)));
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    // Node 0 first in single mode: the brokers register with its controller.
    if (mode === 'single') await start(0);
    await Promise.all(nodeIds.filter((nodeId) => !running.has(nodeId)).map((nodeId) => start(nodeId)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    mode,
    nodeIds,
    bootstrap: nodeIds.map((nodeId) => `ws://${host}:${port(nodeId)}`).join(','),
    urlOf: (nodeId) => `ws://${host}:${port(nodeId)}`,
    isRunning: (nodeId) => running.has(nodeId),
    kill,
    start,
    stop,
  };
}
