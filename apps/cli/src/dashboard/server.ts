/**
 * The dashboard's HTTP server (node:http, bound to 127.0.0.1): the page's static files and JSON for the
 * page and for scripts.
 *
 *   GET /api/cluster       brokers (id, url, alive, controller), topics and partitions (leader, leader epoch,
 *                          replicas, ISR, offsets) and `events`, the cluster timeline (./cluster-events.ts)
 *   GET /api/groups        every group as GET /api/groups/:id describes it (up to maxGroups)
 *   GET /api/groups/:id    `groups describe G --json` plus `rebalances` (the coordinator's records); 404 if unknown
 *   GET /api/transactions  every transactional id as `transactions describe --json` gives it (up to maxTransactions)
 *   GET /api/actors        `{ actors: [{ id, machine, state, status }] }` from the actor directory
 *   GET /api/statecharts/:machine.svg   a machine's statechart (`consumer`, `group-coordinator`, ...), states with ids
 *   WebSocket /inspect     inspected processes stream here (`--inspect ws://127.0.0.1:<port>/inspect`, or
 *                          the dashboard's bare address `ws://127.0.0.1:<port>`: an upgrade of `/` is the same)
 *
 * Only GET and HEAD (405 otherwise); a request must name this server in its Host header (403 otherwise),
 * so a web page elsewhere cannot read the cluster through a DNS-rebinding trick. Bounds in ./limits.ts.
 * With a secret (`--secret-file`, KACTOR_SECRET) the JSON needs a token (401 otherwise): the page passes on
 * the viewer token of its own address (`/?token=...`, printed by `kactor dashboard`), scripts may present
 * the secret's token as to brokers; inspected processes present the secret's token. The page's files and
 * the statecharts are kactor's own code, not the cluster's data, and are served to anyone on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KafkaProtocolError } from '@kactor/protocol';
import { createAccessCheck, createInspectionReceiver, refuseUpgrade, viewerToken, type InspectionReceiver } from '@kactor/runtime';
import type { Duplex } from 'node:stream';
import type { ActorDirectory } from './actor-directory.js';
import type { ClusterSource } from './cluster-source.js';
import { dashboardLimits, type DashboardLimits } from './limits.js';
import type { InspectedActorDirectory } from './inspected-actors.js';
import { loadStaticAssets } from './static-assets.js';
import type { StatechartImages } from './statechart-images.js';

/** The WebSocket path inspected processes connect to. */
export const INSPECTION_PATH = '/inspect';
/** Upgrades accepted for inspection: the path, and the dashboard's bare address (what a user types first). */
const INSPECTION_UPGRADE_PATHS = new Set([INSPECTION_PATH, '/']);

export interface DashboardServerOptions {
  source: ClusterSource;
  actors: ActorDirectory;
  /** 0 picks a free port (tests). */
  port: number;
  limits?: DashboardLimits;
  publicDirectory?: string;
  /** Where `/inspect` messages go; without it the path is not served. */
  inspection?: Pick<InspectedActorDirectory, 'receive' | 'disconnected'>;
  /** Serves `/api/statecharts/:machine.svg`; without it that path is 404. */
  statecharts?: StatechartImages;
  /** The shared secret: the JSON and `/inspect` then need a token (see above). */
  secret?: string | undefined;
}

export interface RunningDashboard {
  /** The page's address, with `?token=` when a secret protects the dashboard. */
  readonly url: string;
  readonly port: number;
  /** `ws://127.0.0.1:<port>/inspect`, for `--inspect`. */
  readonly inspectUrl: string;
  close(): Promise<void>;
}

/** The port is taken or cannot be bound: the user should pick another with --port. */
export class DashboardListenError extends Error {
  override readonly name = 'DashboardListenError';
}

/** An answer that exceeds maxResponseBytes: refused instead of sent. */
class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

const securityHeaders = {
  'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

function sendJson(request: IncomingMessage, response: ServerResponse, answer: Answer, maxBytes: number): void {
  let text = JSON.stringify(answer.body);
  let status = answer.status;
  if (Buffer.byteLength(text) > maxBytes) {
    const error = new ResponseTooLargeError(`the answer exceeds the dashboard's ${maxBytes} bytes`);
    text = JSON.stringify({ error: 'RESPONSE_TOO_LARGE', message: error.message });
    status = 500;
  }
  response.writeHead(status, { ...securityHeaders, ...answer.headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  response.end(request.method === 'HEAD' ? undefined : text);
}

const errorBody = (error: string, message: string) => ({ error, message });

/** A failure of the cluster behind an endpoint: Kafka's error name, answered 502 (the dashboard itself is fine). */
function upstreamError(error: unknown): Answer {
  if (error instanceof KafkaProtocolError) return { status: 502, body: errorBody(error.errorName, error.message) };
  const named = error instanceof Error ? error : new Error(String(error));
  return { status: 502, body: errorBody(named.name, named.message) };
}

async function route(path: string, options: DashboardServerOptions, limits: DashboardLimits): Promise<Answer> {
  if (path === '/api/cluster') return { status: 200, body: await options.source.cluster() };
  if (path === '/api/groups') return { status: 200, body: await options.source.groups() };
  if (path === '/api/transactions') return { status: 200, body: await options.source.transactions() };
  if (path === '/api/actors') {
    const actors = options.actors.list();
    const omitted = Math.max(0, actors.length - limits.maxActors) + (options.actors.omitted?.() ?? 0);
    return { status: 200, body: { actors: actors.slice(0, limits.maxActors), actorsOmitted: omitted } };
  }
  const group = /^\/api\/groups\/([^/]+)$/.exec(path)?.[1];
  if (group !== undefined) {
    let groupId: string;
    try {
      groupId = decodeURIComponent(group);
    } catch {
      return { status: 400, body: errorBody('BAD_REQUEST', `"${group}" is not a valid percent-encoded group id`) };
    }
    const found = await options.source.group(groupId);
    return found === null ? { status: 404, body: errorBody('GROUP_ID_NOT_FOUND', `consumer group '${groupId}' does not exist`) } : { status: 200, body: found };
  }
  return { status: 404, body: errorBody('NOT_FOUND', `no endpoint ${path}`) };
}

export function startDashboardServer(options: DashboardServerOptions): Promise<RunningDashboard> {
  const limits = options.limits ?? dashboardLimits;
  const assets = loadStaticAssets(options.publicDirectory);
  let inFlight = 0;
  let boundPort = options.port;
  const pageAccess = createAccessCheck({ secret: options.secret, acceptViewerToken: true });
  const inspectionAccess = createAccessCheck({ secret: options.secret, acceptViewerToken: false });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const target = request.url ?? '/';
    if (target.length > limits.maxUrlChars) return sendJson(request, response, { status: 414, body: errorBody('URI_TOO_LONG', `request targets are limited to ${limits.maxUrlChars} characters`) }, limits.maxResponseBytes);
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${boundPort}` && host !== `localhost:${boundPort}`) {
      return sendJson(request, response, { status: 403, body: errorBody('FORBIDDEN', `the dashboard answers requests for 127.0.0.1:${boundPort} only`) }, limits.maxResponseBytes);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendJson(request, response, { status: 405, body: errorBody('METHOD_NOT_ALLOWED', 'the dashboard is read-only: GET or HEAD'), headers: { allow: 'GET, HEAD' } }, limits.maxResponseBytes);
    }
    if ((request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0') || request.headers['transfer-encoding'] !== undefined) {
      return sendJson(request, response, { status: 400, body: errorBody('BAD_REQUEST', 'a GET carries no body') }, limits.maxResponseBytes);
    }
    const path = target.split('?')[0] ?? '/';
    const asset = assets.get(path);
    if (asset !== undefined) {
      response.writeHead(200, { ...securityHeaders, 'content-type': asset.contentType, 'content-length': asset.body.length, 'cache-control': 'no-cache' });
      return response.end(request.method === 'HEAD' ? undefined : asset.body);
    }
    const chart = /^\/api\/statecharts\/([a-z][a-z-]*)\.svg$/.exec(path)?.[1];
    const svg = chart === undefined || options.statecharts === undefined ? undefined : await options.statecharts.svg(chart);
    if (typeof svg === 'string') {
      response.writeHead(200, { ...securityHeaders, 'content-type': 'image/svg+xml; charset=utf-8', 'content-length': Buffer.byteLength(svg), 'cache-control': 'no-cache' });
      return response.end(request.method === 'HEAD' ? undefined : svg);
    }
    const refusal = pageAccess(request, boundPort);
    if (refusal !== undefined) return sendJson(request, response, { status: refusal.status, body: errorBody(refusal.reason.toUpperCase(), refusal.message) }, limits.maxResponseBytes);
    let answer: Answer;
    try {
      answer = await route(path, options, limits);
    } catch (error) {
      answer = upstreamError(error);
    }
    sendJson(request, response, answer, limits.maxResponseBytes);
  };

  const server: Server = createServer((request, response) => {
    if (inFlight >= limits.maxConcurrentRequests) {
      // Refused before any work: a flood of requests costs one small answer each, never a cluster call.
      request.resume();
      return sendJson(request, response, { status: 503, body: errorBody('TOO_MANY_REQUESTS', `at most ${limits.maxConcurrentRequests} requests at once`), headers: { 'retry-after': '1' } }, limits.maxResponseBytes);
    }
    inFlight += 1;
    response.once('close', () => (inFlight -= 1));
    request.resume();
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(request, response, { status: 500, body: errorBody('INTERNAL_ERROR', String(error)) }, limits.maxResponseBytes);
      else response.destroy();
    });
  });
  const receiver = options.inspection === undefined ? undefined : inspectionReceiver(options.inspection, limits);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined); // a peer gone mid-handshake is its own problem
    if (receiver === undefined || !INSPECTION_UPGRADE_PATHS.has((request.url ?? '').split('?')[0] ?? '')) return refuseUpgrade(socket, 404, 'Not Found');
    // Host, Origin and secret (inspection-access.ts): a browser always sends Origin, so a web page elsewhere
    // cannot feed the dashboard invented actors; kactor's processes send none and, with a secret, present it.
    const refusal = inspectionAccess(request, boundPort);
    if (refusal !== undefined) return refuseUpgrade(socket, refusal.status, refusal.reason);
    receiver.accept(request, socket, head);
  });
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(limits.requestTimeoutMs, 10_000);

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new DashboardListenError(`cannot listen on 127.0.0.1:${options.port}: ${error.code ?? error.message}`)));
    server.listen(options.port, '127.0.0.1', () => {
      const address = server.address();
      boundPort = typeof address === 'object' && address !== null ? address.port : options.port;
      resolve({
        url: `http://127.0.0.1:${boundPort}/${options.secret === undefined ? '' : `?token=${viewerToken(options.secret)}`}`,
        port: boundPort,
        inspectUrl: `ws://127.0.0.1:${boundPort}${INSPECTION_PATH}`,
        close: async () => {
          await receiver?.close();
          await new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          });
        },
      });
    });
  });
}

function inspectionReceiver(inspection: NonNullable<DashboardServerOptions['inspection']>, limits: DashboardLimits): InspectionReceiver {
  return createInspectionReceiver({
    maxConnections: limits.maxInspectionConnections,
    maxMessageBytes: limits.maxInspectionMessageBytes,
    onMessage: (connection, message) => inspection.receive(connection, message),
    onClose: (connection) => inspection.disconnected(connection),
  });
}
