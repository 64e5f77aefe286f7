/**
 * An inspector relay, speaking the protocol of `@statelyai/inspect/server` (every text message from one
 * client goes to all the others; a new client first gets what was sent before it connected) with these
 * differences: it binds the host it is given (127.0.0.1, not every interface), a port in use is a named
 * error instead of an unhandled 'error' event, and `close()` ends its connections, so a process that
 * started it can exit. It keeps the live actors' registrations for late viewers (the package keeps only
 * the last 200 messages, so a viewer opened late would miss the actors) and the newest
 * INSPECTION_RELAY_REPLAY_MAX other messages.
 *
 * Bounded and guarded (issue 10 B6): a socket from a foreign web page (Origin), for another Host, or
 * without the secret when one is given is refused before the handshake (inspection-access.ts); a message
 * larger than INSPECTION_RELAY_MESSAGE_BYTES_MAX closes its connection (1009); at most
 * INSPECTION_RELAY_ACTORS_MAX registrations are kept (later ones are relayed, not kept), and a
 * connection's registrations go with it; INSPECTION_RELAY_KEPT_BYTES_MAX bounds the bytes of all that is kept.
 *
 * `GET /` serves the package's bridge page: it embeds the Stately Inspector (https://stately.ai/inspect,
 * so the viewer's browser needs the internet) and forwards the relay's messages to it. The page holds
 * no data itself; its socket presents the viewer token of the page's own address when a secret is set.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { createAccessCheck, INSPECTION_ENDPOINT_HEADER, refuseUpgrade, viewerToken } from './inspection-access.js';
import { TransportError } from './transport.js';

export const INSPECTION_RELAY_PORT_DEFAULT = 9170;
export const INSPECTION_RELAY_REPLAY_MAX = 1_000;
/** Actor registrations kept for late viewers; later ones are relayed but not kept (as the dashboard's maxActors). */
export const INSPECTION_RELAY_ACTORS_MAX = 5_000;
/** Largest message relayed; a larger one closes its connection (1009). A registration carries its machine: tens of KiB. */
export const INSPECTION_RELAY_MESSAGE_BYTES_MAX = 1024 * 1024;
/** Bytes of everything kept (registrations and replayed messages); past it the oldest replayed messages go, then new registrations are not kept. */
export const INSPECTION_RELAY_KEPT_BYTES_MAX = 64 * 1024 * 1024;
/** Connections at once (processes and viewers); more are refused with 503. */
export const INSPECTION_RELAY_CONNECTIONS_MAX = 256;
export const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';

export interface InspectionRelay {
  /** Where processes send their events, e.g. `ws://127.0.0.1:9170`. */
  readonly url: string;
  /** The bridge page to open in a browser, e.g. `http://127.0.0.1:9170` (with `?token=` when a secret is set). */
  readonly viewerUrl: string;
  close(): Promise<void>;
}

export interface InspectionRelayOptions {
  host: string;
  port: number;
  /** The shared secret: senders present its token, the bridge page the viewer token. */
  secret?: string | undefined;
}

export async function startInspectionRelay(options: InspectionRelayOptions): Promise<InspectionRelay> {
  const kept = new KeptMessages();
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html', 'Referrer-Policy': 'no-referrer' });
    response.end(bridgePage());
  });
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: INSPECTION_RELAY_MESSAGE_BYTES_MAX });
  sockets.on('headers', (headers) => headers.push(`${INSPECTION_ENDPOINT_HEADER}: 1`));
  const checkAccess = createAccessCheck({ host: options.host, secret: options.secret, acceptViewerToken: true });
  let boundPort = options.port;
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined); // a peer gone mid-handshake is its own problem
    const refusal = checkAccess(request, boundPort);
    if (refusal !== undefined) return refuseUpgrade(socket, refusal.status, refusal.reason);
    if (sockets.clients.size >= INSPECTION_RELAY_CONNECTIONS_MAX) return refuseUpgrade(socket, 503, 'Service Unavailable');
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
  });
  let connections = 0;
  sockets.on('connection', (socket: WebSocket) => {
    connections += 1;
    const connection = connections;
    for (const message of kept.all()) socket.send(message);
    socket.on('error', () => undefined); // 'close' follows
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = data.toString();
      kept.remember(connection, message);
      for (const client of sockets.clients) if (client !== socket && client.readyState === WebSocket.OPEN) client.send(message);
    });
    // Its process is gone, and its actors with it: a late viewer need not be shown them.
    socket.on('close', () => kept.forget(connection));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new TransportError(error.code === 'EADDRINUSE' ? 'ADDRESS_IN_USE' : 'LISTEN_FAILED', `inspector relay cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`, {
          cause: error,
        }),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  boundPort = port;
  return {
    url: `ws://${options.host}:${port}`,
    viewerUrl: `http://${options.host}:${port}${options.secret === undefined ? '' : `/?token=${viewerToken(options.secret)}`}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What a late viewer is sent: the live actors' registrations (keyed by connection too: a sender that does
 * not prefix its session ids numbers them like every other process) and the newest other messages.
 */
class KeptMessages {
  private readonly actors = new Map<string, string>();
  private recent: string[] = [];
  private bytes = 0;

  all(): string[] {
    return [...this.actors.values(), ...this.recent];
  }

  remember(connection: number, message: string): void {
    const actorSession = actorSessionOf(message);
    if (actorSession !== undefined) {
      const key = `${connection} ${actorSession}`;
      const previous = this.actors.get(key);
      if (previous === undefined && this.actors.size >= INSPECTION_RELAY_ACTORS_MAX) return;
      this.bytes += message.length - (previous?.length ?? 0);
      this.actors.set(key, message);
    } else {
      this.recent.push(message);
      this.bytes += message.length;
      if (this.recent.length > INSPECTION_RELAY_REPLAY_MAX) this.bytes -= (this.recent.shift() as string).length;
    }
    while (this.bytes > INSPECTION_RELAY_KEPT_BYTES_MAX && this.recent.length > 0) this.bytes -= (this.recent.shift() as string).length;
    // Registrations alone past the bound: the newest is the one not kept.
    if (this.bytes > INSPECTION_RELAY_KEPT_BYTES_MAX && actorSession !== undefined) {
      this.bytes -= message.length;
      this.actors.delete(`${connection} ${actorSession}`);
    }
  }

  forget(connection: number): void {
    for (const [key, message] of this.actors) {
      if (!key.startsWith(`${connection} `)) continue;
      this.actors.delete(key);
      this.bytes -= message.length;
    }
  }
}

/** The session id of an actor registration, else undefined (malformed messages are relayed as they are). */
function actorSessionOf(message: string): string | undefined {
  try {
    const event = JSON.parse(message) as { type?: unknown; sessionId?: unknown };
    return event.type === '@xstate.actor' && typeof event.sessionId === 'string' ? event.sessionId : undefined;
  } catch {
    return undefined;
  }
}

/** The bridge page of @statelyai/inspect/server, reading the relay's address from the page's own. */
function bridgePage(): string {
  return `<!DOCTYPE html>
<html><head><title>kactor: Stately Inspector</title>
<style>* { margin: 0; padding: 0; } html, body { height: 100%; } iframe { width: 100%; height: 100%; border: none; }</style>
</head><body>
<iframe id="inspector" src="${STATELY_INSPECTOR_URL}"></iframe>
<script>
  const iframe = document.getElementById('inspector');
  const buffer = [];
  let connected = false;
  window.addEventListener('message', (e) => {
    if (e.data && e.data.type === '@statelyai.connected') {
      connected = true;
      buffer.forEach((event) => iframe.contentWindow.postMessage(event, '*'));
      buffer.length = 0;
    }
  });
  const ws = new WebSocket('ws://' + location.host + '/' + location.search);
  ws.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (connected) iframe.contentWindow.postMessage(data, '*');
    else buffer.push(data);
  };
</script>
</body></html>`;
}
