/**
 * Sends a partition leader's ISR change to the controller (Kafka's AlterPartitionManager) and hands the answer back
 * to the partition actor, which decides what it means (applyAlterPartitionAnswer). One request per change: a
 * partition has at most one in flight, so there is nothing to batch for correctness.
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
  controllerUrl(): string;
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
    this.options.peers.request(this.options.controllerUrl(), 'alterPartition', body, (result) => {
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
