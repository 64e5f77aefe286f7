/**
 * The control channel of a running `kactor cluster up`: a Unix domain socket `<data-dir>/cluster.sock`,
 * mode 0600, so only the data directory's owner can use it (the kernel checks the socket file's permissions
 * at connect; nothing crosses the network). `kactor cluster kill|stop|start N` send one request each and
 * `cluster up` does the signalling itself: it knows which pids are its own children, so it never signals a
 * process that merely reused a dead broker's pid, and it keeps supervising what it restarts.
 *
 * The protocol is one JSON line each way: `{"command":"kill","brokerId":2}` and
 * `{"ok":true,"message":"broker 2 killed (pid 4711)"}` or `{"ok":false,"error":"..."}`.
 */
import { chmodSync, rmSync } from 'node:fs';
// A local Unix socket between two CLI processes on one machine, like the child processes cluster up spawns:
// process plumbing at the CLI's edge, never part of an actor or of the simulated cluster's network.
// eslint-disable-next-line no-restricted-imports
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { systemClock, type Logger } from '@kactor/runtime';
import { CliError } from '../support/errors.js';

export const CLUSTER_SOCKET_FILE_NAME = 'cluster.sock';
/** A request is a few dozen bytes; a connection sending more than this without a newline is not a kactor CLI and is cut off. */
export const maxControlRequestBytes = 1_024;

export type ControlCommand = 'kill' | 'stop' | 'start';
export interface ControlRequest {
  command: ControlCommand;
  brokerId: number;
}
export type ControlReply = { ok: true; message: string } | { ok: false; error: string };

export function clusterSocketPath(dataDir: string): string {
  return join(dataDir, CLUSTER_SOCKET_FILE_NAME);
}

const commands: readonly ControlCommand[] = ['kill', 'stop', 'start'];

/** Validates one request line at the edge; a bad one is answered with an error, never acted on. */
export function parseControlRequest(line: string): ControlRequest | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { error: 'the control request is not JSON' };
  }
  const candidate = parsed as Partial<ControlRequest> | null;
  if (candidate === null || typeof candidate !== 'object') return { error: 'the control request is not an object' };
  if (!commands.includes(candidate.command as ControlCommand)) return { error: `unknown control command ${JSON.stringify(candidate.command)} (kill, stop or start)` };
  if (!Number.isInteger(candidate.brokerId) || (candidate.brokerId as number) < 0) return { error: 'the control request needs a brokerId (an integer from 0)' };
  return { command: candidate.command as ControlCommand, brokerId: candidate.brokerId as number };
}

export function parseControlReply(line: string): ControlReply {
  const parsed = JSON.parse(line) as Partial<{ ok: boolean; message: string; error: string }>;
  if (parsed.ok === true && typeof parsed.message === 'string') return { ok: true, message: parsed.message };
  if (parsed.ok === false && typeof parsed.error === 'string') return { ok: false, error: parsed.error };
  throw new Error('not a control reply');
}

/** Reads one newline-terminated line from `socket`, at most `maxBytes` long. */
function readLine(socket: Socket, maxBytes: number, onLine: (line: string) => void, onTooLong: () => void): void {
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const newline = buffered.indexOf('\n');
    if (newline >= 0) {
      socket.off('data', onData);
      onLine(buffered.slice(0, newline));
    } else if (Buffer.byteLength(buffered) > maxBytes) {
      socket.off('data', onData);
      onTooLong();
    }
  };
  socket.on('data', onData);
}

function connectToSocket(path: string): Promise<Socket> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(path);
    socket.once('connect', () => resolvePromise(socket));
    socket.once('error', reject);
  });
}

export type ControlHandler = (request: ControlRequest) => Promise<ControlReply>;

/**
 * Listens on `<dataDir>/cluster.sock`. A socket file left by a `cluster up` that died is replaced; one a live
 * `cluster up` answers on is not (that cluster keeps its channel, and this one goes without: the returned error says why).
 */
export async function startControlServer(dataDir: string, handle: ControlHandler, logger: Logger): Promise<{ close: () => Promise<void> } | { error: string }> {
  const path = clusterSocketPath(dataDir);
  try {
    const existing = await connectToSocket(path);
    existing.destroy();
    return { error: `another cluster up is answering on ${path}` };
  } catch {
    // Nobody answers: a leftover of a cluster up that was killed, or no file at all.
    rmSync(path, { force: true });
  }
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    readLine(
      socket,
      maxControlRequestBytes,
      (line) => {
        const request = parseControlRequest(line);
        const replied = 'error' in request ? Promise.resolve<ControlReply>({ ok: false, error: request.error }) : handle(request);
        replied
          .catch((error: unknown): ControlReply => ({ ok: false, error: error instanceof Error ? error.message : String(error) }))
          .then((reply) => socket.end(`${JSON.stringify(reply)}\n`))
          .catch(() => undefined);
      },
      () => socket.end(`${JSON.stringify({ ok: false, error: `the control request is longer than ${maxControlRequestBytes} bytes` })}\n`),
    );
  });
  try {
    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolvePromise());
    });
    chmodSync(path, 0o600);
  } catch (error) {
    server.close();
    return { error: `cannot listen on ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  logger.debug({ path }, 'control channel listening');
  return {
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        rmSync(path, { force: true });
      }),
  };
}

/**
 * Sends one request to the `cluster up` running in `dataDir` and returns its reply. `shownDataDir` is how the
 * user named the directory, for the message when no cluster runs there.
 */
export async function sendControlRequest(dataDir: string, shownDataDir: string, request: ControlRequest, timeoutMs: number): Promise<ControlReply> {
  let socket: Socket;
  try {
    socket = await connectToSocket(clusterSocketPath(dataDir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED') throw new CliError(`no running cluster up in ${shownDataDir} (start one with kactor cluster up)`);
    throw new CliError(`cannot reach the cluster up in ${shownDataDir}: ${code ?? String(error)}`);
  }
  return new Promise<ControlReply>((resolvePromise, reject) => {
    const timer = systemClock.setTimeout(() => {
      socket.destroy();
      reject(new CliError(`the cluster up in ${shownDataDir} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (message: string) => {
      systemClock.clearTimeout(timer);
      reject(new CliError(message));
    };
    socket.once('error', (error: NodeJS.ErrnoException) => fail(`lost the connection to the cluster up in ${shownDataDir}: ${error.code ?? error.message}`));
    socket.once('end', () => fail(`the cluster up in ${shownDataDir} closed the connection without an answer (is it stopping?)`));
    readLine(
      socket,
      64 * 1_024,
      (line) => {
        systemClock.clearTimeout(timer);
        socket.destroy();
        try {
          resolvePromise(parseControlReply(line));
        } catch {
          reject(new CliError(`the cluster up in ${shownDataDir} answered something that is not a control reply`));
        }
      },
      () => fail(`the cluster up in ${shownDataDir} answered something that is not a control reply`),
    );
    socket.write(`${JSON.stringify(request)}\n`);
  });
}
