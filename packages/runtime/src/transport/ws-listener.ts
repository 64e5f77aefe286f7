import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { assertFrameLimit, CloseCode, LISTENER_CLOSE_GRACE_MS, NODE_ENDPOINT_HEADER } from './constants.js';
import { ConnectionLimiter } from './connection-limits.js';
import { bearerToken, createPrincipalCheck } from './secret.js';
import { TransportError, type Connection, type Listener, type ListenOptions, type Principal } from './transport.js';
import { nextWsConnectionId, WsConnection } from './ws-connection.js';

export interface WsListenPolicy {
  /** Browser origins allowed to connect; any other `Origin` header is refused with 403. */
  allowedOrigins: readonly string[];
}

/**
 * Starts an HTTP server that upgrades to WebSocket only after the request passed every check, so a
 * refused client never gets a single frame read: a browser origin that is not allowed gets 403 (a web
 * page must not reach a broker on localhost), a missing or wrong secret gets 401, and a client past
 * `max.connections` or `max.connections.per.ip` gets 503 with the limit named in the status line.
 */
export async function listenWebSocket(
  options: ListenOptions,
  policy: WsListenPolicy,
  onConnection: (connection: Connection) => void,
): Promise<Listener> {
  assertFrameLimit(options.maxFrameBytesHard, 'ListenOptions.maxFrameBytesHard');
  const checkPrincipal = createPrincipalCheck(options.secret, options.clusterSecret);
  const limiter = new ConnectionLimiter(options);
  const webSocketServer = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false, // 5-15x slower (toolchain reference, section 6); frames are mostly record batches
    maxPayload: options.maxFrameBytesHard, // ws closes with 1009 above it
    clientTracking: false,
  });
  // Says "this is a kactor node" in the handshake, so an inspecting process pointed here by mistake can say so.
  webSocketServer.on('headers', (headers) => headers.push(`${NODE_ENDPOINT_HEADER}: 1`));
  const connections = new Set<WsConnection>();
  let closing = false;

  const server = createServer((_request, response) => {
    response.writeHead(426, { Connection: 'close', Upgrade: 'websocket', 'Content-Type': 'text/plain' });
    response.end('kactor nodes speak WebSocket only\n');
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const checked = closing ? REFUSALS.closing : checkUpgrade(request, policy, checkPrincipal);
    if (!('principal' in checked)) {
      refuseUpgrade(socket, checked);
      return;
    }
    const { principal } = checked;
    const admission = limiter.admit(request.socket.remoteAddress ?? 'unknown', principal);
    if (!admission.admitted) {
      refuseUpgrade(socket, { status: 503, text: `Too many connections: ${admission.reason}` });
      return;
    }
    // The slot is held until the TCP connection ends, whether the handshake completes or not.
    socket.once('close', () => admission.slot.release());
    webSocketServer.handleUpgrade(request, socket, head, (webSocket) => {
      const connection = new WsConnection(webSocket, nextWsConnectionId(), peerAddress(request), principal);
      if (closing) {
        connection.terminate();
        return;
      }
      connections.add(connection);
      void connection.closed.then(() => connections.delete(connection));
      onConnection(connection);
    });
  });

  await bindServer(server, options);
  const { port } = server.address() as AddressInfo;
  const url = `ws://${formatHost(options.host)}:${port}`;

  return {
    url,
    async close() {
      if (closing) return;
      closing = true;
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const open = [...connections];
      for (const connection of open) connection.close(CloseCode.GOING_AWAY, 'listener closed');
      // A real timer on purpose: this is the real-socket edge (the in-memory transport stands in for it in
      // simulations), and the grace is for peers on the real network to finish their closing handshake.
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, LISTENER_CLOSE_GRACE_MS)));
      await Promise.race([Promise.all(open.map((connection) => connection.closed)), graceOver]);
      clearTimeout(graceTimer);
      for (const connection of connections) connection.terminate();
      server.closeAllConnections();
      await serverClosed;
    },
  };
}

interface Refusal {
  readonly status: number;
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const REFUSALS = {
  closing: { status: 503, text: 'Service Unavailable' },
  origin: { status: 403, text: 'Forbidden' },
  secret: { status: 401, text: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer realm="kactor"' } },
} satisfies Record<string, Refusal>;

function checkUpgrade(
  request: IncomingMessage,
  policy: WsListenPolicy,
  checkPrincipal: (presented: string | undefined) => Principal | undefined,
): Refusal | { readonly principal: Principal } {
  const origin = request.headers.origin;
  if (origin !== undefined && !policy.allowedOrigins.includes(origin)) return REFUSALS.origin;
  const principal = checkPrincipal(bearerToken(request.headers.authorization));
  return principal === undefined ? REFUSALS.secret : { principal };
}

function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  socket.on('error', () => socket.destroy());
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const headerLines = Object.entries(refusal.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.once('finish', () => socket.destroy());
  const body = `${refusal.text}\n`;
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headerLines.join('')}\r\n${body}`,
  );
}

function bindServer(server: Server, options: ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(listenError(error, options));
    server.once('error', onError);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', onError);
      // After binding, a server-level error is not something a caller can act on; per-socket errors
      // are handled by ws and the refusal path.
      server.on('error', () => undefined);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, options: ListenOptions): TransportError {
  const where = `${formatHost(options.host)}:${options.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new TransportError(
        'ADDRESS_IN_USE',
        `cannot listen on ${where}: the address is already in use (another node or program holds that port)`,
        { cause: error },
      );
    case 'EACCES':
      return new TransportError('LISTEN_FAILED', `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`, {
        cause: error,
      });
    case 'EADDRNOTAVAIL':
      return new TransportError('LISTEN_FAILED', `cannot listen on ${where}: no interface on this machine has that address`, {
        cause: error,
      });
    default:
      return new TransportError('LISTEN_FAILED', `cannot listen on ${where}: ${error.message}`, { cause: error });
  }
}

function peerAddress(request: IncomingMessage): string {
  const { remoteAddress, remotePort } = request.socket;
  return `${formatHost(remoteAddress ?? 'unknown')}:${remotePort ?? 0}`;
}

/** IPv6 literals need brackets in URLs and host:port strings. */
export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
