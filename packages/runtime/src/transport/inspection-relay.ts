/**
 * An inspector relay, speaking the protocol of `@statelyai/inspect/server` (every text message from one
 * client goes to all the others; a new client first gets what was sent before it connected) with three
 * differences that matter here: it binds the host it is given (127.0.0.1, not every interface), a port
 * in use is a named error instead of an unhandled 'error' event, and `close()` ends its connections, so
 * a process that started it can exit. It keeps every actor registration for late viewers (the package
 * keeps only the last 200 messages, so a viewer opened late would miss the actors) and the newest
 * INSPECTION_RELAY_REPLAY_MAX other messages.
 *
 * `GET /` serves the package's bridge page: it embeds the Stately Inspector (https://stately.ai/inspect,
 * so the viewer's browser needs the internet) and forwards the relay's messages to it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { TransportError } from './transport.js';

export const INSPECTION_RELAY_PORT_DEFAULT = 9170;
export const INSPECTION_RELAY_REPLAY_MAX = 1_000;
export const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';

export interface InspectionRelay {
  /** Where processes send their events, e.g. `ws://127.0.0.1:9170`. */
  readonly url: string;
  /** The bridge page to open in a browser, e.g. `http://127.0.0.1:9170`. */
  readonly viewerUrl: string;
  close(): Promise<void>;
}

export async function startInspectionRelay(options: { host: string; port: number }): Promise<InspectionRelay> {
  const actors = new Map<string, string>();
  let recent: string[] = [];
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(bridgePage());
  });
  const sockets = new WebSocketServer({ server, perMessageDeflate: false });
  sockets.on('error', () => undefined); // ws re-emits the server's listen error, which the listen below reports
  let connections = 0;
  sockets.on('connection', (socket) => {
    connections += 1;
    const connection = connections;
    for (const message of actors.values()) socket.send(message);
    for (const message of recent) socket.send(message);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = data.toString();
      remember(connection, message);
      for (const client of sockets.clients) if (client !== socket && client.readyState === WebSocket.OPEN) client.send(message);
    });
  });
  // Keyed by connection too: a sender that does not prefix its session ids numbers them like every other process.
  const remember = (connection: number, message: string) => {
    const actorSession = actorSessionOf(message);
    if (actorSession !== undefined) {
      actors.set(`${connection} ${actorSession}`, message);
      return;
    }
    recent.push(message);
    if (recent.length > INSPECTION_RELAY_REPLAY_MAX) recent = recent.slice(-INSPECTION_RELAY_REPLAY_MAX);
  };
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
  return {
    url: `ws://${options.host}:${port}`,
    viewerUrl: `http://${options.host}:${port}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
  const ws = new WebSocket('ws://' + location.host);
  ws.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (connected) iframe.contentWindow.postMessage(data, '*');
    else buffer.push(data);
  };
</script>
</body></html>`;
}
