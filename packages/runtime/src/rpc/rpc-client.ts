/**
 * The client half of the RPC layer: one connection to one URL, opened on first use and reopened after a
 * failure with exponential backoff (`reconnect.backoff.ms` doubling up to `reconnect.backoff.max.ms`, with
 * Kafka's ±20 % jitter from the injected random source). Requests get correlation ids, at most
 * `max.in.flight.requests.per.connection` are on the wire at once (the rest wait in a bounded queue), and
 * each fails with REQUEST_TIMED_OUT after `request.timeout.ms` on the injected clock. When the peer goes
 * away, every request on the wire fails with NETWORK_EXCEPTION naming the peer; results always arrive
 * as values, never as thrown exceptions.
 */
import type { ApiName, RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import { decodeResponseFrame, encodeRequestFrame, KafkaProtocolError, latestVersion, requestFrameValue, wireError } from '@kactor/protocol';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { Random } from '../random/random.js';
import { TransportError, type Connection, type Transport, type TransportFrame } from '../transport/transport.js';
import { protocolFrame } from './protocol-frame.js';
import type { RequestOptions, RpcResult } from './rpc.js';

export interface RpcClientOptions {
  url: string;
  transport: Transport;
  clock: Clock;
  random: Random;
  logger: Logger;
  secret?: string | undefined;
  /** request.timeout.ms */
  requestTimeoutMs: number;
  /** reconnect.backoff.ms */
  reconnectBackoffMs: number;
  /** reconnect.backoff.max.ms */
  reconnectBackoffMaxMs: number;
  /** max.in.flight.requests.per.connection */
  maxInFlightRequests: number;
  /** Requests waiting for a connection or an in-flight slot; more fail at once (a named limit). */
  maxQueuedRequests: number;
  /** The largest response frame accepted. */
  maxResponseBytes: number;
}

interface PendingRequest {
  api: ApiName;
  frame: TransportFrame;
  correlationId: number;
  expectResponse: boolean;
  onResult: (result: RpcResult<ApiName>) => void;
  /** When it fails with REQUEST_TIMED_OUT, on the client's clock. */
  deadlineMs: number;
  timeoutMs: number;
  /** Creation order, which breaks ties between requests due at the same instant. */
  sequence: number;
}

export type RpcClientState = 'idle' | 'connecting' | 'connected' | 'backingOff' | 'closed';

const correlationIdLimit = 2 ** 32;

export class RpcClient {
  private connection: Connection | undefined;
  private stateValue: RpcClientState = 'idle';
  private readonly queue: PendingRequest[] = [];
  private readonly inFlight = new Map<number, PendingRequest>();
  private nextCorrelationId = 1;
  private failedAttempts = 0;
  private backoffTimer: TimerHandle | undefined;
  /**
   * One timer for every request's deadline, armed for the earliest and left armed when an answer comes first, rather
   * than a timer armed and cancelled per request: answers nearly always come first, and when it fires it fails the
   * requests due, then waits for the next earliest.
   */
  private deadlineTimer: TimerHandle | undefined;
  private deadlineTimerDueMs = Number.POSITIVE_INFINITY;
  private nextSequence = 0;
  /** Requests go as frame values where the transport carries them so (see `Transport.carriesStructuredFrames`). */
  private readonly structured: boolean;

  constructor(private readonly options: RpcClientOptions) {
    this.structured = options.transport.carriesStructuredFrames === true;
  }

  get state(): RpcClientState {
    return this.stateValue;
  }

  get url(): string {
    return this.options.url;
  }

  request<A extends ApiName>(api: A, body: RequestBody<A>, onResult: (result: RpcResult<A>) => void, options: RequestOptions = {}): void {
    if (this.stateValue === 'closed') {
      onResult({ ok: false, error: wireError('NETWORK_EXCEPTION', `the client for ${this.options.url} is closed`) });
      return;
    }
    if (this.queue.length >= this.options.maxQueuedRequests) {
      onResult({ ok: false, error: wireError('THROTTLING_QUOTA_EXCEEDED', `more than ${this.options.maxQueuedRequests} requests are queued for ${this.options.url}`) });
      return;
    }
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId % (correlationIdLimit - 1)) + 1;
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    const version = latestVersion(api);
    const pending: PendingRequest = {
      api,
      correlationId,
      // Built now either way, so a caller that changes `body` afterwards changes nothing that is sent.
      frame: this.structured
        ? requestFrameValue(api, version, correlationId, body)
        : encodeRequestFrame(api, version, correlationId, body),
      expectResponse: options.expectResponse ?? true,
      onResult: onResult as (result: RpcResult<ApiName>) => void,
      deadlineMs: this.options.clock.now() + timeoutMs,
      timeoutMs,
      sequence: this.nextSequence++,
    };
    this.armDeadlineTimer(pending.deadlineMs);
    this.queue.push(pending);
    this.pump();
  }

  /** The promise form: resolves with the response body, rejects with a KafkaProtocolError. */
  requestAsync<A extends ApiName>(api: A, body: RequestBody<A>, options?: RequestOptions): Promise<ResponseBody<A>> {
    return new Promise((resolve, reject) => {
      this.request(api, body, (result) => (result.ok ? resolve(result.body) : reject(KafkaProtocolError.from(result.error.code, result.error.message))), options);
    });
  }

  close(): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    if (this.backoffTimer !== undefined) this.options.clock.clearTimeout(this.backoffTimer);
    if (this.deadlineTimer !== undefined) this.options.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.failAll(wireError('NETWORK_EXCEPTION', `the client for ${this.options.url} was closed`));
    this.connection?.close(1000, 'client closed');
    this.connection = undefined;
  }

  private pump(): void {
    if (this.stateValue === 'idle') {
      this.connect();
      return;
    }
    if (this.stateValue !== 'connected' || this.connection === undefined) return;
    while (this.queue.length > 0 && this.inFlight.size < this.options.maxInFlightRequests) {
      const pending = this.queue.shift() as PendingRequest;
      // Freshly encoded, and never written to again (a retry is a new request with a new frame).
      this.connection.send(pending.frame, 'handedOver');
      if (pending.expectResponse) {
        this.inFlight.set(pending.correlationId, pending);
      } else {
        pending.onResult({ ok: true, body: undefined as never });
      }
    }
  }

  private connect(): void {
    this.stateValue = 'connecting';
    this.options.transport
      .connect(this.options.url, { secret: this.options.secret, maxFrameBytesHard: this.options.maxResponseBytes })
      .then(
        (connection) => {
          if (this.stateValue === 'closed') {
            connection.close(1000, 'client closed');
            return;
          }
          this.connection = connection;
          this.stateValue = 'connected';
          this.failedAttempts = 0;
          connection.onStructuredFrame((frame) => this.receive(frame));
          connection.onClose((reason) => this.lost(`connection to ${this.options.url} closed (${reason.code}${reason.reason ? ` ${reason.reason}` : ''})`));
          this.pump();
        },
        (error: unknown) => {
          if (this.stateValue === 'closed') return;
          const authentication = error instanceof TransportError && error.code === 'AUTHENTICATION_FAILED';
          const message = `cannot connect to ${this.options.url}: ${error instanceof Error ? error.message : String(error)}`;
          // Requests waiting for this attempt fail now: their callers decide whether to retry.
          this.failQueued(authentication ? wireError('SASL_AUTHENTICATION_FAILED', message) : wireError('NETWORK_EXCEPTION', message));
          this.backOff();
        },
      );
  }

  private lost(message: string): void {
    this.connection = undefined;
    if (this.stateValue === 'closed') return;
    this.options.logger.debug({ url: this.options.url }, message);
    const error = wireError('NETWORK_EXCEPTION', message);
    for (const pending of [...this.inFlight.values()]) this.settle(pending, { ok: false, error });
    this.inFlight.clear();
    this.backOff();
  }

  private backOff(): void {
    this.failedAttempts += 1;
    this.stateValue = 'backingOff';
    const exponential = this.options.reconnectBackoffMs * 2 ** Math.min(this.failedAttempts - 1, 30);
    const capped = Math.min(exponential, this.options.reconnectBackoffMaxMs);
    const jittered = capped * (0.8 + this.options.random.next() * 0.4);
    this.backoffTimer = this.options.clock.setTimeout(() => {
      this.backoffTimer = undefined;
      if (this.stateValue !== 'backingOff') return;
      this.stateValue = 'idle';
      if (this.queue.length > 0) this.pump();
    }, Math.round(jittered));
  }

  private receive(frame: TransportFrame): void {
    const decoded = decodeResponseFrame(protocolFrame(frame), { maxFrameBytes: this.options.maxResponseBytes });
    const correlationId = decoded.correlationId;
    const pending = correlationId === undefined ? undefined : this.inFlight.get(correlationId);
    if (pending === undefined) {
      // A late answer to a request that already timed out, or an unmatched frame: nobody waits for it.
      if (!decoded.ok) this.options.logger.warn({ url: this.options.url, errorName: decoded.error.name, reason: decoded.error.message }, 'undecodable response frame');
      return;
    }
    this.inFlight.delete(pending.correlationId);
    if (!decoded.ok) this.settle(pending, { ok: false, error: decoded.error });
    else if (decoded.kind === 'error') this.settle(pending, { ok: false, error: decoded.error });
    else if (decoded.api !== pending.api) {
      this.settle(pending, { ok: false, error: wireError('CORRUPT_MESSAGE', `asked ${pending.api}, got a ${decoded.api} response`) });
    } else this.settle(pending, { ok: true, body: decoded.body as ResponseBody<ApiName> });
    this.pump();
  }

  private armDeadlineTimer(deadlineMs: number): void {
    if (deadlineMs >= this.deadlineTimerDueMs || this.stateValue === 'closed') return;
    if (this.deadlineTimer !== undefined) this.options.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimerDueMs = deadlineMs;
    this.deadlineTimer = this.options.clock.setTimeout(() => this.expireDue(), deadlineMs - this.options.clock.now());
  }

  /** Fails every request past its deadline, earliest first, and arms the timer for the next deadline. */
  private expireDue(): void {
    this.deadlineTimer = undefined;
    this.deadlineTimerDueMs = Number.POSITIVE_INFINITY;
    const nowMs = this.options.clock.now();
    const waiting = [...this.queue, ...this.inFlight.values()];
    const due = waiting.filter((pending) => pending.deadlineMs <= nowMs).sort((a, b) => a.deadlineMs - b.deadlineMs || a.sequence - b.sequence);
    for (const pending of due) this.expire(pending);
    let nextDeadlineMs = Number.POSITIVE_INFINITY;
    for (const pending of [...this.queue, ...this.inFlight.values()]) nextDeadlineMs = Math.min(nextDeadlineMs, pending.deadlineMs);
    if (nextDeadlineMs !== Number.POSITIVE_INFINITY) this.armDeadlineTimer(nextDeadlineMs);
  }

  private expire(pending: PendingRequest): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) this.queue.splice(queued, 1);
    else if (!this.inFlight.delete(pending.correlationId)) return;
    pending.onResult({ ok: false, error: wireError('REQUEST_TIMED_OUT', `${pending.api} to ${this.options.url} got no answer within ${pending.timeoutMs} ms`) });
    this.pump();
  }

  private settle(pending: PendingRequest, result: RpcResult<ApiName>): void {
    pending.onResult(result);
  }

  private failQueued(error: WireError): void {
    const queued = this.queue.splice(0);
    for (const pending of queued) this.settle(pending, { ok: false, error });
  }

  private failAll(error: WireError): void {
    this.failQueued(error);
    for (const pending of [...this.inFlight.values()]) this.settle(pending, { ok: false, error });
    this.inFlight.clear();
  }
}
