/**
 * Creates a coordinator's internal topic (`__consumer_offsets`, `__transaction_state`) on the first FindCoordinator
 * that needs it, as Kafka's AutoTopicCreationManager does for internal topics: asked of the controller known then,
 * once at a time; clients retry FindCoordinator meanwhile, and each retry asks again, so a NOT_CONTROLLER answer or
 * a lost controller (KRaft failover) is retried at the new one, and nothing is sent while no controller is known.
 */
import { errorByCode, errorByName } from '@kactor/protocol';
import type { Logger, PeerRequester } from '@kactor/runtime';

export interface InternalTopicSpec {
  name: string;
  numPartitions: number;
  /** Kafka's number as configured, never lowered here: a cluster with fewer brokers is refused by the controller. */
  replicationFactor: number;
  /** The config that sets the replication factor, named in the warning when the controller refuses it. */
  replicationFactorConfig: string;
  configs: Array<{ name: string; value: string }>;
}

export interface InternalTopicCreatorOptions {
  topic: InternalTopicSpec;
  peers: PeerRequester;
  /** The active controller's URL now, or undefined while none is known (KRaft, during an election). */
  controllerUrl(): string | undefined;
  logger: Logger;
}

export class InternalTopicCreator {
  private creating = false;
  /** The controller's last refusal, logged once until it changes (clients retry every retry.backoff.ms). */
  private lastRefusal: string | null = null;

  constructor(private readonly options: InternalTopicCreatorOptions) {}

  create(): void {
    if (this.creating) return;
    const url = this.options.controllerUrl();
    if (url === undefined) return;
    this.creating = true;
    const { topic, logger } = this.options;
    this.options.peers.request(
      url,
      'createTopics',
      {
        topics: [{ name: topic.name, numPartitions: topic.numPartitions, replicationFactor: topic.replicationFactor, assignments: [], configs: topic.configs }],
        timeoutMs: 30_000,
        validateOnly: false,
      },
      (result) => {
        this.creating = false;
        const errorCode = result.ok ? (result.body.topics[0]?.errorCode ?? 0) : result.error.code;
        const error = (result.ok ? result.body.topics[0]?.errorMessage : result.error.message) ?? null;
        if (errorCode === errorByName('NOT_CONTROLLER').code) {
          // The controller moved (KRaft): the client's next FindCoordinator asks the new one; nothing to warn about.
          logger.debug({ error }, `${topic.name} creation refused: NOT_CONTROLLER`);
        } else if (errorCode !== 0 && errorCode !== errorByName('TOPIC_ALREADY_EXISTS').code) {
          const errorName = errorByCode(errorCode)?.name ?? `error ${errorCode}`;
          const said = `${errorName}: ${error}`;
          if (said === this.lastRefusal) return;
          this.lastRefusal = said;
          const hint =
            errorName === 'INVALID_REPLICATION_FACTOR'
              ? ` with ${topic.replicationFactorConfig}=${topic.replicationFactor} (${error}); this can be ignored while the cluster is starting and not every broker is up yet`
              : ` (${error})`;
          logger.warn({ errorCode, errorName, error }, `could not create ${topic.name}: ${errorName}${hint}`);
        } else {
          this.lastRefusal = null;
          logger.info({ partitions: topic.numPartitions, replicationFactor: topic.replicationFactor }, `${topic.name} created`);
        }
      },
    );
  }
}
