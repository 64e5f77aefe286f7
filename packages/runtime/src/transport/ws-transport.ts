import type { ClientRequest, IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { assertFrameLimit, CONNECT_TIMEOUT_MS_DEFAULT, MAX_FRAME_BYTES_HARD_DEFAULT } from './constants.js';
import { bearerHeader } from './secret.js';
import {
  TransportError,
  type ConnectOptions,
  type Connection,
  type Listener,
  type ListenOptions,
  type Transport,
} from './transport.js';
import { nextWsConnectionId, WsConnection } from './ws-connection.js';
import { listenWebSocket } from './ws-listener.js';

export interface WebSocketTransportOptions {
  /**
   * Browser origins allowed to open a connection (e.g. a local dashboard). Node clients send no
   * `Origin` header and are unaffected; any request that carries one not listed here is refused, so a
   * web page the user happens to visit cannot talk to a broker on localhost. Default: none.
   */
  allowedOrigins?: readonly string[];
}

/**
 * Frames between processes over WebSocket (`ws` 8), one binary message per frame, no compression.
 *
 * Why binary messages: a text message must be valid UTF-8, which our frames (a binary header and
 * MessagePack with raw record bytes) are not, so text would mean base64: measured on loopback with
 * 1 KiB frames, binary carried 313k frames/s against 140k/s for base64 text (2.2x; 2.0x at 100 B,
 * 2.3x at 16 KiB), before counting the third more bytes on the wire.
 *
 * `bufferutil` is installed and ws loads it for masking: on Node 20 without it, client-to-server
 * traffic is about 4x slower (toolchain reference, section 6).
 */
export class WebSocketTransport implements Transport {
  private readonly allowedOrigins: readonly string[];

  constructor(options: WebSocketTransportOptions = {}) {
    this.allowedOrigins = [...(options.allowedOrigins ?? [])];
  }

  listen(options: ListenOptions, onConnection: (connection: Connection) => void): Promise<Listener> {
    return listenWebSocket(options, { allowedOrigins: this.allowedOrigins }, onConnection);
  }

  connect(url: string, options: ConnectOptions = {}): Promise<Connection> {
    const timeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS_DEFAULT;
    let socket: WebSocket;
    try {
      const maxFrameBytesHard = options.maxFrameBytesHard ?? MAX_FRAME_BYTES_HARD_DEFAULT;
      assertFrameLimit(maxFrameBytesHard, 'ConnectOptions.maxFrameBytesHard');
      const headers: Record<string, string> = {};
      if (options.secret !== undefined) headers.authorization = bearerHeader(options.secret);
      socket = new WebSocket(url, {
        perMessageDeflate: false, // see the class comment; the server side turns it off too
        maxPayload: maxFrameBytesHard,
        followRedirects: false,
        headers,
      });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error))); // a malformed url, secret or limit
    }

    return new Promise<Connection>((resolve, reject) => {
      const fail = (error: TransportError): void => {
        cleanUp();
        socket.on('error', () => undefined); // the terminate below reports once more; nobody listens now
        socket.terminate();
        reject(error);
      };
      const onOpen = (): void => {
        cleanUp();
        resolve(new WsConnection(socket, nextWsConnectionId(), remoteAddressOf(url)));
      };
      const onUnexpectedResponse = (request: ClientRequest, response: IncomingMessage): void => {
        response.resume();
        request.destroy();
        fail(refusalError(url, response.statusCode ?? 0, response.statusMessage));
      };
      const onError = (error: NodeJS.ErrnoException): void => fail(connectError(url, error));
      const onClose = (): void => fail(new TransportError('CONNECTION_REFUSED', `${url} closed the connection during the handshake`));
      const timer = setTimeout(
        () => fail(new TransportError('TIMEOUT', `connecting to ${url} took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
      const cleanUp = (): void => {
        clearTimeout(timer);
        socket.off('open', onOpen);
        socket.off('unexpected-response', onUnexpectedResponse);
        socket.off('error', onError);
        socket.off('close', onClose);
      };
      socket.on('open', onOpen);
      socket.on('unexpected-response', onUnexpectedResponse);
      socket.on('error', onError);
      socket.on('close', onClose);
    });
  }

  toJSON(): { kind: 'WebSocketTransport'; allowedOrigins: readonly string[] } {
    return { kind: 'WebSocketTransport', allowedOrigins: this.allowedOrigins };
  }
}

function refusalError(url: string, status: number, statusMessage: string | undefined): TransportError {
  if (status === 401) {
    return new TransportError('AUTHENTICATION_FAILED', `${url} refused the shared secret (HTTP 401); check the configured secret`);
  }
  if (status === 403) return new TransportError('CONNECTION_REFUSED', `${url} refused this client's origin (HTTP 403)`);
  // A listener at its connection limit names the limit in the status line (see ws-listener.ts).
  if (status === 503 && statusMessage !== undefined && statusMessage.startsWith('Too many connections: ')) {
    return new TransportError('CONNECTION_REFUSED', `${url} refused the connection: ${statusMessage.slice('Too many connections: '.length)} (HTTP 503)`);
  }
  return new TransportError('CONNECTION_REFUSED', `${url} answered HTTP ${status} instead of accepting a WebSocket`);
}

function connectError(url: string, error: NodeJS.ErrnoException): TransportError {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new TransportError('CONNECTION_REFUSED', `nothing listens at ${url} (connection refused)`, { cause: error });
    case 'ETIMEDOUT':
      return new TransportError('TIMEOUT', `connecting to ${url} timed out in the network stack`, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TransportError('CONNECTION_REFUSED', `cannot resolve the host of ${url}`, { cause: error });
    default:
      return new TransportError('CONNECTION_REFUSED', `cannot connect to ${url}: ${error.message}`, { cause: error });
  }
}

function remoteAddressOf(url: string): string {
  return new URL(url).host;
}
