/**
 * Sends a partition leader's ISR change to the controller (Kafka's AlterPartitionManager) and hands the answer back
 * to the partition actor, which decides what it means (applyAlterPartitionAnswer). One request per change: a
 * partition has at most one in flight, so there is nothing to batch for correctness.
 *
 * The controller may move (KRaft: it is whichever voter leads the metadata quorum), so its URL is asked for at every
 * send. NOT_CONTROLLER, or no answer at all (the controller's process is gone), reaches the partition as an error it
 * retries (outcome `retry`) after its short backoff, and the resend goes to the controller known by then: Kafka's
 * NodeToControllerChannelManager re-queues such a request for the new controller in the same way. While no
 * controller is known nothing is sent, and the partition is told NOT_CONTROLLER at once, to ask again later.
 */
import type { ErrorName, RequestBody } from '@kactor/protocol';
import { errorByCode } from '@kactor/protocol';
import type { Logger, PeerRequester } from '@kactor/runtime';
import type { PartitionEmitted } from '../partition/partition-types.js';
import type { AlterPartitionAnswer } from '../replication/index.js';

export interface AlterPartitionSenderOptions {
  brokerId: number;
  peers: PeerRequester;
  logger: Logger;
  /** The active controller's URL now, or undefined while none is known. */
  controllerUrl(): string | undefined;
  brokerEpoch(): number;
  answer(topic: string, partition: number, answer: AlterPartitionAnswer): void;
}

const errorName = (code: number): ErrorName => (errorByCode(code)?.name ?? 'UNKNOWN_SERVER_ERROR') as ErrorName;

export class AlterPartitionSender {
  constructor(private readonly options: AlterPartitionSenderOptions) {}

  send(event: Extract<PartitionEmitted, { type: 'isr.alterPartitionRequested' }>): void {
    const { request } = event;
    const body: RequestBody<'alterPartition'> = {
      brokerId: this.options.brokerId,
      brokerEpoch: this.options.brokerEpoch(),
      topics: [
        {
          topicId: event.topicId,
          partitions: [
            {
              partitionIndex: event.partition,
              leaderEpoch: request.leaderEpoch,
              newIsrWithEpochs: request.newIsrWithEpochs.map((member) => ({ brokerId: member.brokerId, brokerEpoch: member.brokerEpoch })),
              leaderRecoveryState: 0,
              partitionEpoch: request.partitionEpoch,
            },
          ],
        },
      ],
    };
    const url = this.options.controllerUrl();
    if (url === undefined) {
      this.options.logger.debug({ topic: event.topic, partition: event.partition }, 'AlterPartition not sent: no controller appears to be active');
      this.options.answer(event.topic, event.partition, { error: 'NOT_CONTROLLER' });
      return;
    }
    this.options.peers.request(url, 'alterPartition', body, (result) => {
      const answer = toAnswer(result.ok ? result.body : undefined, result.ok ? undefined : result.error.name);
      if (answer.error !== 'NONE') this.options.logger.debug({ topic: event.topic, partition: event.partition, error: answer.error }, 'AlterPartition refused');
      this.options.answer(event.topic, event.partition, answer);
    });
  }
}

/** A request-wide error or a transport failure answers the one partition the request carried. */
function toAnswer(body: { errorCode: number; topics: Array<{ partitions: Array<{ errorCode: number; leaderEpoch: number; partitionEpoch: number; isr: number[] }> }> } | undefined, transportError: ErrorName | undefined): AlterPartitionAnswer {
  if (body === undefined) return { error: transportError === undefined || transportError === 'NONE' ? 'UNKNOWN_SERVER_ERROR' : transportError };
  if (body.errorCode !== 0) return { error: errorName(body.errorCode) as Exclude<ErrorName, 'NONE'> };
  const partition = body.topics[0]?.partitions[0];
  if (partition === undefined) return { error: 'UNKNOWN_SERVER_ERROR' };
  if (partition.errorCode !== 0) return { error: errorName(partition.errorCode) as Exclude<ErrorName, 'NONE'> };
  return { error: 'NONE', leaderEpoch: partition.leaderEpoch, partitionEpoch: partition.partitionEpoch, isr: partition.isr };
}
