/**
 * A tiny Kafka client over TCP for e2e tests of the Kafka listener (issue 16), built on
 * @kactor/kafka-protocol: it sends a request of any API and version and awaits its answer. Kafka answers a
 * connection's requests in the order they were sent, so answers are matched to requests in order, and an
 * answer whose correlation id is not the one expected fails the request (as kafka-python's
 * CorrelationIdError would). It does nothing a real client does on its own (no ApiVersions handshake, no
 * retries, no metadata cache): the tests say every byte that is sent.
 *
 * ```ts
 * const client = await KafkaWireClient.connect('127.0.0.1', 9092);
 * const metadata = await client.request('Metadata', 4, { ...defaultRequestBody('Metadata'), topics: null });
 * await client.close();
 * ```
 */
import { connect, type Socket } from 'node:net';
import {
  decodeResponseFrame,
  defaultRequestBody,
  encodeRequestFrame,
  KafkaFrameReader,
  type KafkaApiName,
  type KafkaRequestBodies,
  type KafkaResponseBodies,
} from '@kactor/kafka-protocol';

/** How long a request waits for its answer before it fails (a bound, so that a silent broker fails a test instead of hanging it). */
export const KAFKA_WIRE_REQUEST_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** Answers larger than this are refused as a broken stream (Kafka's own clients bound them by fetch sizes). */
const MAX_ANSWER_BYTES = 256 * 1_048_576;

export interface WireRequestOptions {
  /** The header's client id (default `kactor-wire-client`). */
  clientId?: string | null;
  /** Decode the answer at this version instead of the request's (KIP-511: an unsupported ApiVersions is answered in v0). */
  answerVersion?: number;
  timeoutMs?: number;
}

interface PendingAnswer {
  readonly correlationId: number;
  readonly decode: (frame: Uint8Array) => void;
  readonly fail: (error: Error) => void;
}

export class KafkaWireClient {
  private readonly reader = new KafkaFrameReader({ maxFrameBytes: MAX_ANSWER_BYTES });
  private readonly pending: PendingAnswer[] = [];
  private nextCorrelationId = 1;
  private closedBy: Error | undefined;
  private readonly closedPromise: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    this.closedPromise = new Promise((done) => {
      socket.once('close', () => {
        this.failAll(this.closedBy ?? new Error('the broker closed the connection'));
        done();
      });
    });
    socket.on('error', (error) => (this.closedBy ??= error));
  }

  static connect(host: string, port: number): Promise<KafkaWireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`could not connect to ${host}:${port} within ${CONNECT_TIMEOUT_MS} ms`));
      }, CONNECT_TIMEOUT_MS);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new KafkaWireClient(socket));
      });
    });
  }

  /** Connects to the first `host:port` of a comma-separated bootstrap list. */
  static connectTo(bootstrap: string): Promise<KafkaWireClient> {
    const first = bootstrap.split(',')[0] ?? '';
    const separator = first.lastIndexOf(':');
    return KafkaWireClient.connect(first.slice(0, separator), Number(first.slice(separator + 1)));
  }

  /** True once the socket has closed, from either side. */
  get closed(): boolean {
    return this.socket.destroyed;
  }

  /** Resolves when the connection has closed. */
  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  /** Sends a request and resolves with its decoded answer; fields not given take the API's defaults. */
  request<A extends KafkaApiName>(api: A, version: number, body: Partial<KafkaRequestBodies[A]>, options: WireRequestOptions = {}): Promise<KafkaResponseBodies[A]> {
    const correlationId = this.send(api, version, body, options.clientId);
    const answerVersion = options.answerVersion ?? version;
    const timeoutMs = options.timeoutMs ?? KAFKA_WIRE_REQUEST_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${api} v${version} (correlation id ${correlationId}) got no answer within ${timeoutMs} ms`)), timeoutMs);
      this.pending.push({
        correlationId,
        decode: (frame) => {
          clearTimeout(timer);
          const decoded = decodeResponseFrame(api, answerVersion, frame);
          if (!decoded.ok) reject(new Error(`the answer to ${api} v${version} does not decode at v${answerVersion}: ${decoded.error.message}`));
          else if (decoded.value.correlationId !== correlationId) reject(new Error(`${api} v${version}: answer for correlation id ${decoded.value.correlationId}, expected ${correlationId}`));
          else resolve(decoded.value.body);
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** Sends a request that expects no answer (Produce with acks=0); returns its correlation id. */
  sendWithoutAnswer<A extends KafkaApiName>(api: A, version: number, body: Partial<KafkaRequestBodies[A]>, clientId?: string | null): number {
    return this.send(api, version, body, clientId);
  }

  /** Writes raw bytes (a malformed frame, a frame cut in two); answers to them are not awaited. */
  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  async close(): Promise<void> {
    if (!this.socket.destroyed) this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), CONNECT_TIMEOUT_MS);
    await this.closedPromise;
    clearTimeout(timer);
  }

  private send<A extends KafkaApiName>(api: A, version: number, body: Partial<KafkaRequestBodies[A]>, clientId: string | null | undefined): number {
    if (this.closed) throw new Error(`cannot send ${api}: the connection is closed`);
    const correlationId = this.nextCorrelationId++;
    const fullBody = { ...defaultRequestBody(api), ...body } as KafkaRequestBodies[A];
    this.socket.write(encodeRequestFrame(api, version, { correlationId, clientId: clientId === undefined ? 'kactor-wire-client' : clientId }, fullBody));
    return correlationId;
  }

  private receive(chunk: Uint8Array): void {
    const received = this.reader.push(chunk);
    for (const frame of received.frames) {
      const waiting = this.pending.shift();
      if (waiting === undefined) {
        this.closedBy = new Error('an answer arrived for no request in flight');
        this.socket.destroy();
        return;
      }
      waiting.decode(frame);
    }
    if (!received.ok) {
      this.closedBy = new Error(`unreadable answer stream: ${received.error.message}`);
      this.socket.destroy();
    }
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.splice(0)) waiting.fail(error);
  }
}
