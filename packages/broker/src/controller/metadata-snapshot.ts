/**
 * The controller state as metadata records, for a snapshot (KIP-630; Kafka's MetadataImage.write through
 * ImageWriter): the same records the log holds, one serialisation read back with `stateFromSnapshot`
 * (metadata-state.ts), so a snapshot loads into exactly the state that replaying the log up to it gives.
 *
 * Brokers: a registration carrying its broker epoch, then UnfenceBroker when unfenced, then a
 * BrokerRegistrationChange when in controlled shutdown. Topics: the Topic record, its Config records, its
 * partitions' Partition records with their leader and partition epochs. Producer ids: the last ProducerIdsRecord, so a
 * controller loading the snapshot hands out blocks from where the log left off (KIP-730).
 */
import type { MetadataRecord } from './metadata-records.js';
import type { ControllerState } from './metadata-state.js';

export function snapshotRecordsOf(state: ControllerState): MetadataRecord[] {
  const records: MetadataRecord[] = [];
  for (const broker of Object.values(state.brokers).sort((a, b) => a.brokerId - b.brokerId)) {
    const { brokerId, brokerEpoch } = broker;
    records.push({ type: 'RegisterBroker', brokerId, incarnationId: broker.incarnationId, host: broker.host, port: broker.port, url: broker.url, rack: broker.rack, ...(broker.kafkaListener === undefined ? {} : { kafkaListener: broker.kafkaListener }), brokerEpoch });
    if (!broker.fenced) records.push({ type: 'UnfenceBroker', brokerId, brokerEpoch });
    if (broker.inControlledShutdown) records.push({ type: 'BrokerRegistrationChange', brokerId, brokerEpoch, inControlledShutdown: true });
  }
  for (const topic of Object.values(state.topics).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    records.push({ type: 'Topic', name: topic.name, topicId: topic.topicId });
    for (const [name, value] of Object.entries(topic.configs)) records.push({ type: 'Config', resourceType: 'topic', resourceName: topic.name, name, value });
    // forEach skips the holes of a sparse partition list, as the state keeps it.
    topic.partitions.forEach((partition) => {
      records.push({
        type: 'Partition',
        topicId: topic.topicId,
        partitionId: partition.partitionIndex,
        replicas: [...partition.replicas],
        isr: [...partition.isr],
        leader: partition.leader,
        leaderEpoch: partition.leaderEpoch,
        partitionEpoch: partition.partitionEpoch,
      });
    });
  }
  if (state.producerIds !== null) records.push({ type: 'ProducerIds', ...state.producerIds });
  return records;
}
