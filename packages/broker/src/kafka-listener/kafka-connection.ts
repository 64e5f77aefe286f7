/**
 * One Kafka client connection. Kafka mutes a connection while one of its requests is in flight, and
 * clients rely on answers coming back in request order (kafka-python raises CorrelationIdError
 * otherwise, reference §4), so this takes one request at a time: decode it, hand it to the broker's
 * router, wait for the answer, write it, and only then take the next. Frames read meanwhile wait in
 * order; past `queued.max.requests` of them the socket is no longer read, and while more than
 * `queued.max.response.bytes` of answers are unread by the client no further request is taken.
 *
 * A frame that cannot be parsed, an API not served or a version outside the served range closes the
 * connection, as Kafka closes it; ApiVersions above the highest version served is answered with the
 * KIP-511 fallback instead, so that the client can retry with a version both know.
 */
import {
  decodeRequestFrame,
  encodeResponseFrame,
  KafkaFrameReader,
  kafkaApis,
  type ApiVersionsResponseApiVersion,
  type KafkaApiName,
  type KafkaRequestBodies,
} from '@kactor/kafka-protocol';
import { latestVersion, wireError, type ResponseBody, type WireError } from '@kactor/protocol';
import type { ByteStreamConnection, InboundRequest, Logger, RequestRef } from '@kactor/runtime';
import type { AdapterContext, AnyKafkaApiAdapter } from './apis/adapter.js';
import { API_VERSIONS_SERVED, apiVersionsResponse, unsupportedApiVersionsFrame } from './apis/api-versions.js';
import type { KafkaApiAdapters } from './apis/index.js';

/** ApiKey int16, ApiVersion int16, CorrelationId int32: the part of every request header read before anything else. */
const FIXED_HEADER_BYTES = 8;

export interface KafkaConnectionOptions {
  /** `kafka-…`: how answers find their way back through the responder router. */
  connectionId: string;
  stream: ByteStreamConnection;
  logger: Logger;
  /** socket.request.max.bytes: a larger frame closes the connection before it is buffered. */
  maxRequestBytes: number;
  /** queued.max.requests: frames waiting behind the one in flight before the socket is no longer read. */
  maxQueuedRequests: number;
  /** queued.max.response.bytes: unread answer bytes above which no further request is taken. */
  maxQueuedResponseBytes: number;
  adapters: KafkaApiAdapters;
  /** The ApiVersions table (worked out once per listener from `adapters`). */
  apiVersions: ApiVersionsResponseApiVersion[];
  context: AdapterContext;
  onRequest(request: InboundRequest): void;
  onClosed(connectionId: string): void;
}

/** How the broker answered the request in flight. */
export type KafkaAnswer = { kind: 'body'; body: unknown } | { kind: 'error'; error: WireError } | { kind: 'none' };

interface InFlight {
  readonly ref: RequestRef;
  readonly adapter: AnyKafkaApiAdapter;
  readonly request: KafkaRequestBodies[KafkaApiName];
  readonly version: number;
}

export class KafkaConnection {
  private readonly reader: KafkaFrameReader;
  private readonly waiting: Uint8Array[] = [];
  private inFlight: InFlight | undefined;
  private paused = false;
  private taking = false;
  /** Closed by either side: nothing more is read, taken or written. */
  private closed = false;
  private closeReported = false;

  constructor(private readonly options: KafkaConnectionOptions) {
    this.reader = new KafkaFrameReader({ maxFrameBytes: options.maxRequestBytes });
    const { stream } = options;
    stream.onData((bytes) => this.receive(bytes));
    stream.onDrain(() => this.takeNext());
    stream.onClose(() => {
      this.closed = true;
      this.waiting.length = 0;
      if (this.closeReported) return;
      this.closeReported = true;
      options.onClosed(options.connectionId);
    });
  }

  get id(): string {
    return this.options.connectionId;
  }

  /** Requests read and not yet taken (the one in flight not counted). */
  get waitingRequests(): number {
    return this.waiting.length;
  }

  /** The broker's answer to a request of this connection; one that is not the request in flight is ignored. */
  answer(ref: RequestRef, answer: KafkaAnswer): void {
    const inFlight = this.inFlight;
    if (inFlight === undefined || inFlight.ref !== ref || this.closed) return;
    this.inFlight = undefined;
    if (answer.kind !== 'none') {
      const { adapter, request, version } = inFlight;
      const body =
        answer.kind === 'error'
          ? adapter.errorResponse(answer.error, request, version)
          : adapter.toKafkaResponse(answer.body as ResponseBody<typeof adapter.kactorApi>, request, version, this.options.context);
      this.writeResponse(adapter.kafkaApi, version, ref.correlationId, body);
    }
    this.takeNext();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting.length = 0;
    this.options.logger.debug({ connection: this.options.stream.remoteAddress, reason }, 'closing a Kafka connection');
    this.options.stream.close(reason);
  }

  private receive(bytes: Uint8Array): void {
    if (this.closed) return;
    const received = this.reader.push(bytes);
    for (const frame of received.frames) this.waiting.push(frame);
    if (!received.ok) {
      // The size prefix itself is wrong (negative, or above socket.request.max.bytes): Kafka's InvalidReceiveException.
      this.refuse(received.error);
      return;
    }
    this.takeNext();
  }

  /** Takes waiting requests one at a time; re-entered from an answer given synchronously, it leaves the work to the loop already running. */
  private takeNext(): void {
    if (this.taking) return;
    this.taking = true;
    try {
      while (!this.closed && this.inFlight === undefined && this.waiting.length > 0 && this.options.stream.bufferedAmount <= this.options.maxQueuedResponseBytes) {
        this.serve(this.waiting.shift() as Uint8Array);
      }
    } finally {
      this.taking = false;
    }
    this.updatePause();
  }

  private updatePause(): void {
    const pause = !this.closed && this.waiting.length > this.options.maxQueuedRequests;
    if (pause === this.paused) return;
    this.paused = pause;
    if (pause) this.options.stream.pause();
    else this.options.stream.resume();
  }

  private serve(frame: Uint8Array): void {
    if (frame.length >= FIXED_HEADER_BYTES) {
      const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
      if (view.getInt16(0) === kafkaApis.ApiVersions.apiKey && view.getInt16(2) > API_VERSIONS_SERVED.max) {
        // KIP-511: the body of a newer ApiVersions is not parsed; the client learns the range it may use.
        this.write(unsupportedApiVersionsFrame(view.getInt32(4)));
        return;
      }
    }
    const decoded = decodeRequestFrame(frame);
    if (!decoded.ok) {
      this.refuse(decoded.error);
      return;
    }
    const { api, version } = decoded;
    const correlationId = decoded.header.correlationId;
    if (decoded.api === 'ApiVersions') {
      this.writeResponse('ApiVersions', version, correlationId, apiVersionsResponse(this.options.apiVersions));
      return;
    }
    const adapter = this.options.adapters.get(api);
    if (adapter === undefined) {
      this.refuse(wireError('INVALID_REQUEST', `${api} (key ${kafkaApis[api].apiKey}) is not served on this listener yet`));
      return;
    }
    if (version < adapter.versions.min || version > adapter.versions.max) {
      this.refuse(wireError('UNSUPPORTED_VERSION', `${api} version ${version} is outside the versions served, ${adapter.versions.min}-${adapter.versions.max}`));
      return;
    }
    const ref: RequestRef = {
      connectionId: this.options.connectionId,
      correlationId,
      api: adapter.kactorApi,
      version: latestVersion(adapter.kactorApi),
      remoteAddress: this.options.stream.remoteAddress,
      // Kafka clients never present the cluster secret: control-plane APIs stay refused to them.
      principal: 'client',
      clientId: decoded.header.clientId ?? '',
    };
    this.inFlight = { ref, adapter, request: decoded.body, version };
    const inbound = { api: adapter.kactorApi, version: ref.version, correlationId, body: adapter.toKactorRequest(decoded.body, version, decoded.header), ref } as InboundRequest;
    try {
      this.options.onRequest(inbound);
    } catch (error) {
      // A handler that throws is a bug; the client still gets an answer instead of waiting for its timeout.
      this.options.logger.error({ err: error, api }, 'request handler failed');
      this.answer(ref, { kind: 'error', error: wireError('UNKNOWN_SERVER_ERROR', `the broker failed to handle ${api}`) });
    }
  }

  private writeResponse<A extends KafkaApiName>(api: A, version: number, correlationId: number, body: unknown): void {
    let frame: Uint8Array;
    try {
      frame = encodeResponseFrame(api, version, correlationId, body as Parameters<typeof encodeResponseFrame<A>>[3]);
    } catch (error) {
      // An answer the version cannot carry is a translation bug; closing tells the client at once instead of at its timeout.
      this.options.logger.error({ err: error, api, version }, 'a Kafka response could not be encoded');
      this.close(`the ${api} v${version} response could not be encoded`);
      return;
    }
    this.write(frame);
  }

  private write(frame: Uint8Array): void {
    this.options.stream.write(frame);
  }

  private refuse(error: WireError): void {
    this.options.logger.warn({ connection: this.options.stream.remoteAddress, errorName: error.name }, `closing a Kafka connection: ${error.message}`);
    this.close(`${error.name}: ${error.message}`);
  }
}
