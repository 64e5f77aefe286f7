/**
 * Replica placement without racks, the rack-unaware scheme of Kafka's AdminUtils: the first replica of
 * partition p goes to broker (p + start) mod n, and the followers are spread with a shift that grows by one
 * every n partitions, so leaders and followers are both balanced. `start` and the initial shift come from
 * the injected random source, so placement is reproducible in a simulation.
 */
export interface PlacementInput {
  /** Brokers that may receive replicas, in any order (sorted here). */
  brokerIds: readonly number[];
  numPartitions: number;
  replicationFactor: number;
  /** Index into the sorted broker list of partition `firstPartitionId`'s first replica. */
  startIndex: number;
  replicaShift: number;
  /** The id of the first partition placed (the current count when adding partitions). */
  firstPartitionId: number;
}

function followerIndex(firstReplicaIndex: number, shift: number, replica: number, brokerCount: number): number {
  const offset = 1 + ((shift + replica) % (brokerCount - 1));
  return (firstReplicaIndex + offset) % brokerCount;
}

/** Returns the replica list of each placed partition, in partition order. */
export function placeReplicas(input: PlacementInput): number[][] {
  const brokers = [...input.brokerIds].sort((a, b) => a - b);
  const brokerCount = brokers.length;
  if (input.replicationFactor < 1 || input.replicationFactor > brokerCount) {
    throw new RangeError(`replication factor ${input.replicationFactor} needs between 1 and ${brokerCount} brokers`);
  }
  const assignments: number[][] = [];
  let shift = input.replicaShift;
  for (let index = 0; index < input.numPartitions; index += 1) {
    const partitionId = input.firstPartitionId + index;
    if (partitionId > 0 && partitionId % brokerCount === 0) shift += 1;
    const firstReplicaIndex = (partitionId + input.startIndex) % brokerCount;
    const replicas = [brokers[firstReplicaIndex] as number];
    for (let replica = 0; replica < input.replicationFactor - 1; replica += 1) {
      replicas.push(brokers[followerIndex(firstReplicaIndex, shift, replica, brokerCount)] as number);
    }
    assignments.push(replicas);
  }
  return assignments;
}
