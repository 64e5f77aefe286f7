/**
 * What every partition registration the controller replays must satisfy (issue 11, "assert what must hold"): the
 * leader is one of the replicas and in the ISR, the ISR is made of distinct replicas, a partition is created once,
 * and each change moves the partition epoch forward and the leader epoch never back, with a new leader always under
 * a new leader epoch (one leader per leader epoch, so brokers and clients can fence a stale one by its epoch).
 * A violation is a bug in kactor's elections or ISR handling, not bad input: replay throws, so a simulation seed that
 * would silently corrupt the metadata fails at the first broken rule, before the batch is written.
 */
import type { PartitionRegistration } from './metadata-state.js';

export type MetadataInvariant =
  | 'partition-recreated'
  | 'leader-not-a-replica'
  | 'leader-not-in-isr'
  | 'isr-not-distinct-replicas'
  | 'leader-epoch-decreased'
  | 'partition-epoch-not-increased'
  | 'leader-changed-without-new-epoch'
  | 'producer-ids-went-back';

export class MetadataInvariantError extends Error {
  override readonly name = 'MetadataInvariantError';

  constructor(
    readonly invariant: MetadataInvariant,
    detail: string,
  ) {
    super(`metadata invariant "${invariant}" violated: ${detail}`);
  }
}

/** The shape every registration must have, alone. */
export function assertPartitionRegistration(where: string, partition: PartitionRegistration): void {
  const { leader, replicas, isr } = partition;
  if (leader !== -1 && !replicas.includes(leader)) {
    throw new MetadataInvariantError('leader-not-a-replica', `${where}: leader ${leader} is not one of the replicas [${replicas.join(', ')}]`);
  }
  if (leader !== -1 && !isr.includes(leader)) {
    throw new MetadataInvariantError('leader-not-in-isr', `${where}: leader ${leader} is not in the ISR [${isr.join(', ')}]`);
  }
  if (new Set(isr).size !== isr.length || !isr.every((member) => replicas.includes(member))) {
    throw new MetadataInvariantError('isr-not-distinct-replicas', `${where}: ISR [${isr.join(', ')}] is not a set of replicas [${replicas.join(', ')}]`);
  }
}

/** A change of a registration: epochs forward, and a different leader only under a higher leader epoch. */
export function assertPartitionChange(where: string, before: PartitionRegistration, after: PartitionRegistration): void {
  assertPartitionRegistration(where, after);
  if (after.leaderEpoch < before.leaderEpoch) {
    throw new MetadataInvariantError('leader-epoch-decreased', `${where}: leader epoch went from ${before.leaderEpoch} to ${after.leaderEpoch}`);
  }
  if (after.partitionEpoch <= before.partitionEpoch) {
    throw new MetadataInvariantError('partition-epoch-not-increased', `${where}: partition epoch went from ${before.partitionEpoch} to ${after.partitionEpoch}`);
  }
  if (after.leader !== before.leader && after.leaderEpoch === before.leaderEpoch) {
    throw new MetadataInvariantError(
      'leader-changed-without-new-epoch',
      `${where}: leader ${before.leader} became ${after.leader} under the same leader epoch ${after.leaderEpoch}`,
    );
  }
}

/**
 * Producer id blocks only move forward (Kafka's ProducerIdControlManager.replay): a ProducerIdsRecord whose next id is
 * not beyond the current one would hand out ids already given to a broker, so two producers could share an id.
 */
export function assertProducerIdsForward(currentNextProducerId: number, recordNextProducerId: number): void {
  if (recordNextProducerId <= currentNextProducerId) {
    throw new MetadataInvariantError('producer-ids-went-back', `the next producer id would go from ${currentNextProducerId} to ${recordNextProducerId}`);
  }
}
