/**
 * Kafka's `auto.create.topics.enable` (the broker's `AutoTopicCreationManager`): a Metadata request that names a
 * missing topic and allows auto-creation (producers, and consumers with `allow.auto.create.topics`) makes the
 * broker ask the controller to create it with `num.partitions` and `default.replication.factor` (the controller's
 * defaults for -1). Meanwhile Metadata answers LEADER_NOT_AVAILABLE for it, a retriable error, and the client asks
 * again until the topic is in the image.
 *
 * One CreateTopics is in flight per topic at a time, and at most `maxTopicsInFlight` topics are being created at
 * once: past that a name is simply not asked for yet, and the client's next Metadata request tries again.
 *
 * The controller may move (KRaft: it is whichever voter leads the metadata quorum). A CreateTopics answered
 * NOT_CONTROLLER, or not answered at all (the controller is gone), is sent again after retry.backoff.ms to the
 * controller known by then, and so is one that could not be sent because no controller was known, until
 * request.timeout.ms has passed since the first attempt (Kafka's NodeToControllerChannelManager re-queues such a
 * request for the new controller). The topic stays in flight meanwhile. Without a clock (today's single-controller
 * nodes) nothing is retried here: the client's next Metadata request asks again.
 */
import type { Clock, Logger, RpcClientPool, TimerHandle } from '@kactor/runtime';
import { errorByName } from '@kactor/protocol';

/** How many topics one broker asks the controller to create at once (a bound on a client naming many). */
export const MAX_AUTO_CREATED_TOPICS_IN_FLIGHT = 100;

/** Kafka's retry.backoff.ms default: the pause before a CreateTopics no controller took is sent again. */
export const DEFAULT_CONTROLLER_RETRY_BACKOFF_MS = 100;

export interface AutoTopicCreatorOptions {
  peers: RpcClientPool;
  /** The active controller's URL now, or undefined while none is known. */
  controllerUrl(): string | undefined;
  logger: Logger;
  /** request.timeout.ms of the CreateTopics sent to the controller, and how long it is retried after NOT_CONTROLLER. */
  requestTimeoutMs: number;
  maxTopicsInFlight?: number;
  /** Times the retries after NOT_CONTROLLER or a lost controller; without it they are left to the client. */
  clock?: Clock | undefined;
  /** retry.backoff.ms between those retries. */
  retryBackoffMs?: number | undefined;
}

export class AutoTopicCreator {
  private readonly inFlight = new Set<string>();
  /** Topics waiting to be asked for again, by their retry timer. */
  private readonly retries = new Map<string, TimerHandle>();

  constructor(private readonly options: AutoTopicCreatorOptions) {}

  /** Asks the controller to create `name` unless that is already under way; returns false when over the bound. */
  create(name: string): boolean {
    if (this.inFlight.has(name)) return true;
    if (this.inFlight.size >= (this.options.maxTopicsInFlight ?? MAX_AUTO_CREATED_TOPICS_IN_FLIGHT)) return false;
    this.inFlight.add(name);
    this.attempt(name, this.options.clock?.now() ?? 0);
    return true;
  }

  /** Cancels the pending retries (the node is stopping). */
  close(): void {
    for (const timer of this.retries.values()) this.options.clock?.clearTimeout(timer);
    this.retries.clear();
    this.inFlight.clear();
  }

  private attempt(name: string, firstAttemptMs: number): void {
    this.retries.delete(name);
    const url = this.options.controllerUrl();
    if (url === undefined) {
      this.retryOrGiveUp(name, firstAttemptMs, 'NOT_CONTROLLER', 'No controller appears to be active');
      return;
    }
    this.options.peers.request(
      url,
      'createTopics',
      {
        topics: [{ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] }],
        timeoutMs: this.options.requestTimeoutMs,
        validateOnly: false,
      },
      (result) => {
        if (!this.inFlight.has(name)) return;
        const answer = result.ok ? result.body.topics[0] : undefined;
        const errorCode = result.ok ? (answer?.errorCode ?? 0) : result.error.code;
        const error = result.ok ? answer?.errorMessage : result.error.message;
        if (!result.ok || errorCode === errorByName('NOT_CONTROLLER').code) {
          this.retryOrGiveUp(name, firstAttemptMs, result.ok ? 'NOT_CONTROLLER' : result.error.name, error ?? null);
          return;
        }
        this.inFlight.delete(name);
        if (errorCode === 0) this.options.logger.info({ topic: name, partitions: answer?.numPartitions }, 'created topic on first use (auto.create.topics.enable)');
        else if (errorCode !== errorByName('TOPIC_ALREADY_EXISTS').code) this.options.logger.warn({ topic: name, errorCode, error }, 'could not auto-create topic');
      },
      { timeoutMs: this.options.requestTimeoutMs },
    );
  }

  /** No controller took the request: again after retry.backoff.ms while request.timeout.ms allows, else left to the client. */
  private retryOrGiveUp(name: string, firstAttemptMs: number, errorName: string, error: string | null): void {
    const { clock, requestTimeoutMs } = this.options;
    const backoffMs = this.options.retryBackoffMs ?? DEFAULT_CONTROLLER_RETRY_BACKOFF_MS;
    if (clock !== undefined && clock.now() + backoffMs - firstAttemptMs < requestTimeoutMs) {
      this.options.logger.debug({ topic: name, errorName, error }, 'auto-creation not taken by a controller: retrying');
      this.retries.set(name, clock.setTimeout(() => this.attempt(name, firstAttemptMs), backoffMs));
      return;
    }
    this.inFlight.delete(name);
    this.options.logger.warn({ topic: name, errorName, error }, 'could not auto-create topic');
  }

  get topicsInFlight(): number {
    return this.inFlight.size;
  }
}
