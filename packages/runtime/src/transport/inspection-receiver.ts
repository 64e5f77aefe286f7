/**
 * The receiving end of inspection on a server that is already listening (the dashboard's port): an
 * `upgrade` handler that accepts inspected processes' WebSockets and hands each text message, tagged
 * with its connection, to `onMessage`. The senders are the same `InspectionSocket`s that stream to a
 * relay, so `--inspect ws://127.0.0.1:<port>/<path>` works unchanged. It lives here, beside the relay,
 * so the CLI needs no WebSocket dependency of its own.
 *
 * Receive only: nothing is sent back, and nothing is forwarded to other connections (a relay does that).
 * Whether an upgrade is accepted (path, Host, Origin, secret: see inspection-access.ts) is the caller's
 * decision, made before `accept`. The handshake's answer names it an inspection endpoint
 * (INSPECTION_ENDPOINT_HEADER), so a sender pointed at something else can say so.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { INSPECTION_ENDPOINT_HEADER } from './inspection-access.js';

export interface InspectionReceiverOptions {
  /** Open connections at most; a further upgrade is refused with 503 (each one holds a socket and its actors). */
  maxConnections: number;
  /** Largest message accepted; ws closes a connection that sends a larger one (1009). */
  maxMessageBytes: number;
  onMessage(connection: number, message: string): void;
  /** The connection is gone: its process stopped or was killed, so its actors are gone too. */
  onClose(connection: number): void;
}

export interface InspectionReceiver {
  /** Takes over an upgrade request the caller has checked. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createInspectionReceiver(options: InspectionReceiverOptions): InspectionReceiver {
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: options.maxMessageBytes });
  sockets.on('headers', (headers) => headers.push(`${INSPECTION_ENDPOINT_HEADER}: 1`));
  let connections = 0;
  sockets.on('connection', (socket) => {
    connections += 1;
    const connection = connections;
    socket.on('error', () => undefined); // 'close' follows
    socket.on('message', (data, isBinary) => {
      if (!isBinary) options.onMessage(connection, data.toString());
    });
    socket.on('close', () => options.onClose(connection));
  });
  return {
    accept: (request, socket, head) => {
      if (sockets.clients.size >= options.maxConnections) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
    },
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
