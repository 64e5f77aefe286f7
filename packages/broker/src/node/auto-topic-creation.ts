/**
 * Kafka's `auto.create.topics.enable` (the broker's `AutoTopicCreationManager`): a Metadata request that names a
 * missing topic and allows auto-creation (producers, and consumers with `allow.auto.create.topics`) makes the
 * broker ask the controller to create it with `num.partitions` and `default.replication.factor` (the controller's
 * defaults for -1). Meanwhile Metadata answers LEADER_NOT_AVAILABLE for it, a retriable error, and the client asks
 * again until the topic is in the image.
 *
 * One CreateTopics is in flight per topic at a time, and at most `maxTopicsInFlight` topics are being created at
 * once: past that a name is simply not asked for yet, and the client's next Metadata request tries again.
 */
import type { Logger, RpcClientPool } from '@kactor/runtime';
import { errorByName } from '@kactor/protocol';

/** How many topics one broker asks the controller to create at once (a bound on a client naming many). */
export const MAX_AUTO_CREATED_TOPICS_IN_FLIGHT = 100;

export interface AutoTopicCreatorOptions {
  peers: RpcClientPool;
  controllerUrl(): string;
  logger: Logger;
  /** request.timeout.ms of the CreateTopics sent to the controller. */
  requestTimeoutMs: number;
  maxTopicsInFlight?: number;
}

export class AutoTopicCreator {
  private readonly inFlight = new Set<string>();

  constructor(private readonly options: AutoTopicCreatorOptions) {}

  /** Asks the controller to create `name` unless that is already under way; returns false when over the bound. */
  create(name: string): boolean {
    if (this.inFlight.has(name)) return true;
    if (this.inFlight.size >= (this.options.maxTopicsInFlight ?? MAX_AUTO_CREATED_TOPICS_IN_FLIGHT)) return false;
    this.inFlight.add(name);
    this.options.peers.request(
      this.options.controllerUrl(),
      'createTopics',
      {
        topics: [{ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] }],
        timeoutMs: this.options.requestTimeoutMs,
        validateOnly: false,
      },
      (result) => {
        this.inFlight.delete(name);
        const answer = result.ok ? result.body.topics[0] : undefined;
        const errorCode = result.ok ? (answer?.errorCode ?? 0) : result.error.code;
        if (errorCode === 0) this.options.logger.info({ topic: name, partitions: answer?.numPartitions }, 'created topic on first use (auto.create.topics.enable)');
        else if (errorCode !== errorByName('TOPIC_ALREADY_EXISTS').code) {
          this.options.logger.warn({ topic: name, errorCode, error: result.ok ? answer?.errorMessage : result.error.message }, 'could not auto-create topic');
        }
      },
      { timeoutMs: this.options.requestTimeoutMs },
    );
    return true;
  }

  get topicsInFlight(): number {
    return this.inFlight.size;
  }
}
