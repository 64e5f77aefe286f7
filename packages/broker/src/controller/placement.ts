/**
 * Replica placement, Kafka's AdminUtils schemes. `start` and the initial shift come from the injected random source,
 * so placement is reproducible in a simulation.
 *
 * Without racks (rack-unaware): the first replica of partition p goes to broker (p + start) mod n, and the followers
 * are spread with a shift that grows by one every n partitions, so leaders and followers are both balanced.
 *
 * When every broker has a rack (rack-aware): the same walk over a broker list that alternates racks (one broker of
 * each rack in rack-name order, then the next of each), and a follower is skipped while its rack already holds a
 * replica and some rack holds none, or its broker already holds one: each partition spans as many racks as it can.
 */
export interface PlacementInput {
  /** Brokers that may receive replicas, in any order (sorted here). */
  brokerIds: readonly number[];
  numPartitions: number;
  replicationFactor: number;
  /** Index into the (sorted or rack-alternated) broker list of partition `firstPartitionId`'s first replica. */
  startIndex: number;
  replicaShift: number;
  /** The id of the first partition placed (the current count when adding partitions). */
  firstPartitionId: number;
  /** Each broker's rack; placement is rack-aware only when every placed broker has one. */
  racks?: Readonly<Record<number, string | null>>;
}

function followerIndex(firstReplicaIndex: number, shift: number, replica: number, brokerCount: number): number {
  const offset = 1 + ((shift + replica) % (brokerCount - 1));
  return (firstReplicaIndex + offset) % brokerCount;
}

/** Brokers ordered so that consecutive ones are in different racks while racks remain: rack1's first, rack2's first, ... */
export function rackAlternatedBrokers(racks: ReadonlyMap<number, string>): number[] {
  const byRack = new Map<string, number[]>();
  for (const [brokerId, rack] of [...racks.entries()].sort(([a], [b]) => a - b)) byRack.set(rack, [...(byRack.get(rack) ?? []), brokerId]);
  const rackNames = [...byRack.keys()].sort();
  const alternated: number[] = [];
  for (let round = 0; alternated.length < racks.size; round += 1) {
    for (const rack of rackNames) {
      const broker = byRack.get(rack)?.[round];
      if (broker !== undefined) alternated.push(broker);
    }
  }
  return alternated;
}

function rackOf(racks: Readonly<Record<number, string | null>> | undefined, brokerId: number): string | null {
  return racks?.[brokerId] ?? null;
}

/** Returns the replica list of each placed partition, in partition order. */
export function placeReplicas(input: PlacementInput): number[][] {
  const sorted = [...input.brokerIds].sort((a, b) => a - b);
  const brokerCount = sorted.length;
  if (input.replicationFactor < 1 || input.replicationFactor > brokerCount) {
    throw new RangeError(`replication factor ${input.replicationFactor} needs between 1 and ${brokerCount} brokers`);
  }
  const rackAware = sorted.every((brokerId) => rackOf(input.racks, brokerId) !== null);
  const rackByBroker = new Map(sorted.map((brokerId) => [brokerId, rackOf(input.racks, brokerId) ?? '']));
  const brokers = rackAware ? rackAlternatedBrokers(rackByBroker) : sorted;
  const rackCount = new Set(rackByBroker.values()).size;
  const assignments: number[][] = [];
  let shift = input.replicaShift;
  for (let index = 0; index < input.numPartitions; index += 1) {
    const partitionId = input.firstPartitionId + index;
    if (partitionId > 0 && partitionId % brokerCount === 0) shift += 1;
    const firstReplicaIndex = (partitionId + input.startIndex) % brokerCount;
    const leader = brokers[firstReplicaIndex] as number;
    const replicas = [leader];
    if (!rackAware) {
      for (let replica = 0; replica < input.replicationFactor - 1; replica += 1) {
        replicas.push(brokers[followerIndex(firstReplicaIndex, shift, replica, brokerCount)] as number);
      }
    } else {
      const racksUsed = new Set([rackByBroker.get(leader)]);
      for (let step = 0; replicas.length < input.replicationFactor; step += 1) {
        const broker = brokers[followerIndex(firstReplicaIndex, shift * rackCount, step, brokerCount)] as number;
        const rack = rackByBroker.get(broker);
        const rackFree = !racksUsed.has(rack) || racksUsed.size === rackCount;
        const brokerFree = !replicas.includes(broker) || replicas.length === brokerCount;
        if (rackFree && brokerFree) {
          replicas.push(broker);
          racksUsed.add(rack);
        }
      }
    }
    assignments.push(replicas);
  }
  return assignments;
}
