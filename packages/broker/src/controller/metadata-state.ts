/**
 * The controller's view of the cluster, and `replay`, the only function that changes it. Plain objects keep
 * the state serialisable, so the controller actor's snapshot shows it in the inspector.
 */
import type { MetadataImage } from '@kactor/protocol';
import { assertPartitionChange, assertPartitionRegistration, assertProducerIdsForward, MetadataInvariantError } from './metadata-invariants.js';
import type { MetadataRecord } from './metadata-records.js';

/** Kafka's broker control states (BrokerHeartbeatManager): derived from the registration. */
export type BrokerControlState = 'FENCED' | 'UNFENCED' | 'CONTROLLED_SHUTDOWN';

export interface BrokerRegistration {
  brokerId: number;
  /** Offset of the RegisterBroker record. */
  brokerEpoch: number;
  incarnationId: string;
  host: string;
  port: number;
  url: string;
  rack: string | null;
  /** Where it serves Kafka's clients (issue 16), when it does. */
  kafkaListener?: { host: string; port: number };
  fenced: boolean;
  inControlledShutdown: boolean;
}

export interface PartitionRegistration {
  partitionIndex: number;
  replicas: number[];
  isr: number[];
  leader: number;
  leaderEpoch: number;
  partitionEpoch: number;
}

export interface TopicRegistration {
  name: string;
  topicId: string;
  isInternal: boolean;
  configs: Record<string, string>;
  partitions: PartitionRegistration[];
}

export interface ControllerState {
  clusterId: string;
  /** Offset of the last record replayed; -1 for an empty log. */
  metadataOffset: number;
  brokers: Record<number, BrokerRegistration>;
  topics: Record<string, TopicRegistration>;
  topicNamesById: Record<string, string>;
  /** The last ProducerIdsRecord replayed (KIP-730); null before any block of producer ids was handed out. */
  producerIds: ProducerIdsState | null;
}

/** Where the controller's producer id blocks stand: the next block starts at `nextProducerId`. */
export interface ProducerIdsState {
  nextProducerId: number;
  /** The broker that got the last block, and its epoch then (kept so a snapshot writes the same record back). */
  brokerId: number;
  brokerEpoch: number;
}

export function emptyControllerState(clusterId: string): ControllerState {
  return { clusterId, metadataOffset: -1, brokers: {}, topics: {}, topicNamesById: {}, producerIds: null };
}

export function brokerControlState(broker: BrokerRegistration): BrokerControlState {
  if (broker.fenced) return 'FENCED';
  return broker.inControlledShutdown ? 'CONTROLLED_SHUTDOWN' : 'UNFENCED';
}

/** Topics whose names start with `__` are Kafka's internal topics. */
export function isInternalTopicName(name: string): boolean {
  return name.startsWith('__');
}

function withTopic(state: ControllerState, topicId: string, change: (topic: TopicRegistration) => TopicRegistration): ControllerState {
  const name = state.topicNamesById[topicId];
  const topic = name === undefined ? undefined : state.topics[name];
  if (name === undefined || topic === undefined) throw new Error(`metadata record for unknown topic id ${topicId}`);
  return { ...state, topics: { ...state.topics, [name]: change(topic) } };
}

function withBroker(state: ControllerState, brokerId: number, change: (broker: BrokerRegistration) => BrokerRegistration): ControllerState {
  const broker = state.brokers[brokerId];
  if (broker === undefined) throw new Error(`metadata record for unregistered broker ${brokerId}`);
  return { ...state, brokers: { ...state.brokers, [brokerId]: change(broker) } };
}

/** Applies one record written at `offset`. Records are applied in log order, exactly once each. */
export function replay(state: ControllerState, record: MetadataRecord, offset: number): ControllerState {
  if (offset <= state.metadataOffset) throw new Error(`metadata offset went backwards: ${offset} after ${state.metadataOffset}`);
  const next = applyRecord(state, record, offset);
  return { ...next, metadataOffset: offset };
}

function applyRecord(state: ControllerState, record: MetadataRecord, offset: number): ControllerState {
  switch (record.type) {
    case 'RegisterBroker':
      return {
        ...state,
        brokers: {
          ...state.brokers,
          [record.brokerId]: {
            brokerId: record.brokerId,
            brokerEpoch: record.brokerEpoch ?? offset,
            incarnationId: record.incarnationId,
            host: record.host,
            port: record.port,
            url: record.url,
            rack: record.rack,
            ...(record.kafkaListener === undefined ? {} : { kafkaListener: record.kafkaListener }),
            fenced: true,
            inControlledShutdown: false,
          },
        },
      };
    case 'FenceBroker':
      return withBroker(state, record.brokerId, (broker) => ({ ...broker, fenced: true }));
    case 'UnfenceBroker':
      return withBroker(state, record.brokerId, (broker) => ({ ...broker, fenced: false, inControlledShutdown: false }));
    case 'BrokerRegistrationChange':
      return withBroker(state, record.brokerId, (broker) => ({ ...broker, inControlledShutdown: record.inControlledShutdown }));
    case 'Topic':
      return {
        ...state,
        topics: {
          ...state.topics,
          [record.name]: { name: record.name, topicId: record.topicId, isInternal: isInternalTopicName(record.name), configs: {}, partitions: [] },
        },
        topicNamesById: { ...state.topicNamesById, [record.topicId]: record.name },
      };
    case 'Config': {
      const topic = state.topics[record.resourceName];
      if (topic === undefined) throw new Error(`config record for unknown topic ${record.resourceName}`);
      const configs = { ...topic.configs };
      if (record.value === null) delete configs[record.name];
      else configs[record.name] = record.value;
      return { ...state, topics: { ...state.topics, [topic.name]: { ...topic, configs } } };
    }
    case 'Partition':
      return withTopic(state, record.topicId, (topic) => {
        const where = `${topic.name}-${record.partitionId}`;
        // Created again, its epochs would restart and two leaders could share one leader epoch.
        if (topic.partitions[record.partitionId] !== undefined) throw new MetadataInvariantError('partition-recreated', `${where} already exists`);
        const partitions = [...topic.partitions];
        const created = {
          partitionIndex: record.partitionId,
          replicas: record.replicas,
          isr: record.isr,
          leader: record.leader,
          leaderEpoch: record.leaderEpoch,
          partitionEpoch: record.partitionEpoch,
        };
        assertPartitionRegistration(where, created);
        partitions[record.partitionId] = created;
        return { ...topic, partitions };
      });
    case 'PartitionChange':
      return withTopic(state, record.topicId, (topic) => {
        const current = topic.partitions[record.partitionId];
        if (current === undefined) throw new Error(`partition change for unknown partition ${topic.name}-${record.partitionId}`);
        const leaderChanged = record.leader !== undefined;
        const partitions = [...topic.partitions];
        const changed = {
          ...current,
          leader: record.leader ?? current.leader,
          isr: record.isr ?? current.isr,
          leaderEpoch: leaderChanged ? current.leaderEpoch + 1 : current.leaderEpoch,
          partitionEpoch: current.partitionEpoch + 1,
        };
        assertPartitionChange(`${topic.name}-${record.partitionId}`, current, changed);
        partitions[record.partitionId] = changed;
        return { ...topic, partitions };
      });
    case 'RemoveTopic': {
      const name = state.topicNamesById[record.topicId];
      if (name === undefined) throw new Error(`remove record for unknown topic id ${record.topicId}`);
      const topics = { ...state.topics };
      delete topics[name];
      const topicNamesById = { ...state.topicNamesById };
      delete topicNamesById[record.topicId];
      return { ...state, topics, topicNamesById };
    }
    case 'ProducerIds':
      assertProducerIdsForward(state.producerIds?.nextProducerId ?? 0, record.nextProducerId);
      return { ...state, producerIds: { nextProducerId: record.nextProducerId, brokerId: record.brokerId, brokerEpoch: record.brokerEpoch } };
  }
}

export function replayAll(state: ControllerState, records: ReadonlyArray<{ offset: number; record: MetadataRecord }>): ControllerState {
  return records.reduce((current, { offset, record }) => replay(current, record, offset), state);
}

/**
 * The state a snapshot's records describe (KIP-630; controller/metadata-snapshot.ts writes them): applied in order to
 * an empty state, which then stands at `endOffset - 1`, the last offset the snapshot covers.
 */
export function stateFromSnapshot(clusterId: string, records: readonly MetadataRecord[], endOffset: number): ControllerState {
  let state = emptyControllerState(clusterId);
  for (const record of records) {
    if (record.type === 'RegisterBroker' && record.brokerEpoch === undefined) throw new Error(`the snapshot's registration of broker ${record.brokerId} has no broker epoch`);
    state = applyRecord(state, record, endOffset - 1);
  }
  return { ...state, metadataOffset: endOffset - 1 };
}

/** The image pushed to brokers: everything a broker needs to route and to host its partitions. */
export function toMetadataImage(state: ControllerState, controllerId: number): MetadataImage {
  return {
    clusterId: state.clusterId,
    controllerId,
    metadataOffset: state.metadataOffset,
    brokers: Object.values(state.brokers)
      .sort((a, b) => a.brokerId - b.brokerId)
      .map((broker) => ({
        brokerId: broker.brokerId,
        brokerEpoch: broker.brokerEpoch,
        host: broker.host,
        port: broker.port,
        url: broker.url,
        rack: broker.rack,
        fenced: broker.fenced,
        ...(broker.kafkaListener === undefined ? {} : { kafkaListener: broker.kafkaListener }),
      })),
    topics: Object.values(state.topics)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((topic) => ({
        name: topic.name,
        topicId: topic.topicId,
        isInternal: topic.isInternal,
        configs: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
        partitions: topic.partitions.map((partition) => ({ ...partition })),
      })),
  };
}
