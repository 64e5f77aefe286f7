/**
 * Topic administration as pure functions: each command reads the controller state and returns the records to
 * append plus a per-topic result. The controller appends the records and replays them; nothing here mutates.
 * Error names and cases follow KRaft's ReplicationControlManager (see kafka-replication.md §5).
 */
import type { ErrorName, RequestBody } from '@kactor/protocol';
import { quotedName, wireLimits } from '@kactor/protocol';
import { isEligibleLeader } from './elections.js';
import type { MetadataRecord } from './metadata-records.js';
import type { ControllerState } from './metadata-state.js';
import { checkManualAssignment } from './manual-assignment.js';
import { placeReplicas } from './placement.js';
import { collisionKey, topicNameProblem } from './topic-names.js';

export interface TopicCommandDependencies {
  /** `num.partitions` */
  defaultNumPartitions: number;
  /** `default.replication.factor` */
  defaultReplicationFactor: number;
  newTopicId(): string;
  /** A random integer in [0, n), from the injected random source. */
  randomInt(maxExclusive: number): number;
  /** Validates topic configs; returns a problem description or undefined. */
  topicConfigProblem(configs: Record<string, string>): string | undefined;
}

export interface TopicResult {
  name: string;
  topicId: string | null;
  errorName: ErrorName;
  errorMessage: string | null;
  numPartitions: number;
  replicationFactor: number;
}

export interface CommandOutcome<R> {
  records: MetadataRecord[];
  results: R[];
}

function usableBrokers(state: ControllerState): number[] {
  return Object.values(state.brokers)
    .filter((broker) => isEligibleLeader(broker.brokerId, state.brokers))
    .map((broker) => broker.brokerId);
}

/** Each usable broker's rack, for rack-aware placement. */
function racksOf(state: ControllerState, brokerIds: readonly number[]): Record<number, string | null> {
  return Object.fromEntries(brokerIds.map((brokerId) => [brokerId, state.brokers[brokerId]?.rack ?? null]));
}

function partitionRecords(state: ControllerState, topicId: string, replicaLists: number[][], firstPartitionId: number): MetadataRecord[] {
  return replicaLists.map((replicas, index) => {
    const isr = replicas.filter((replica) => isEligibleLeader(replica, state.brokers));
    return {
      type: 'Partition' as const,
      topicId,
      partitionId: firstPartitionId + index,
      replicas,
      isr,
      leader: isr[0] ?? -1,
      leaderEpoch: 0,
      partitionEpoch: 0,
    };
  });
}

/**
 * The replication factor must be positive (after -1 was replaced by the default) and reachable with the brokers that
 * may take a replica now: registered, unfenced and not shutting down (StripedReplicaPlacer's checks).
 */
function replicationFactorProblem(replicationFactor: number, usable: number): string | undefined {
  if (replicationFactor < 1) return `replication factor must be at least 1, got ${replicationFactor}`;
  if (usable === 0) return 'no broker is available (all registered brokers are fenced)';
  if (replicationFactor > usable) return `replication factor ${replicationFactor} cannot be reached: only ${usable} broker(s) are registered and unfenced`;
  return undefined;
}

export function createTopics(
  state: ControllerState,
  request: RequestBody<'createTopics'>,
  dependencies: TopicCommandDependencies,
): CommandOutcome<TopicResult> {
  const records: MetadataRecord[] = [];
  const results: TopicResult[] = [];
  const usable = usableBrokers(state);
  const nameCounts = new Map<string, number>();
  for (const topic of request.topics) nameCounts.set(topic.name, (nameCounts.get(topic.name) ?? 0) + 1);
  const collisionKeys = new Map(Object.keys(state.topics).map((name) => [collisionKey(name), name]));

  for (const topic of request.topics) {
    const numPartitions = topic.numPartitions === -1 ? dependencies.defaultNumPartitions : topic.numPartitions;
    const replicationFactor = topic.replicationFactor === -1 ? dependencies.defaultReplicationFactor : topic.replicationFactor;
    const fail = (errorName: ErrorName, errorMessage: string): void => {
      results.push({ name: topic.name, topicId: null, errorName, errorMessage, numPartitions: -1, replicationFactor: -1 });
    };
    if ((nameCounts.get(topic.name) ?? 0) > 1) {
      fail('INVALID_REQUEST', `topic ${quotedName(topic.name)} appears more than once in the request`);
      continue;
    }
    const nameProblem = topicNameProblem(topic.name);
    if (nameProblem !== undefined) {
      fail('INVALID_TOPIC_EXCEPTION', nameProblem);
      continue;
    }
    if (state.topics[topic.name] !== undefined) {
      fail('TOPIC_ALREADY_EXISTS', `topic ${topic.name} already exists`);
      continue;
    }
    const colliding = collisionKeys.get(collisionKey(topic.name));
    if (colliding !== undefined) {
      fail('INVALID_TOPIC_EXCEPTION', `topic ${topic.name} collides with existing topic ${colliding} ('.' and '_' are the same in metric names)`);
      continue;
    }
    let manualReplicaLists: number[][] | undefined;
    if (topic.assignments.length > 0) {
      const manual = checkManualAssignment(topic.assignments, { numPartitions: topic.numPartitions, replicationFactor: topic.replicationFactor }, state);
      if (!manual.ok) {
        fail(manual.errorName, manual.errorMessage);
        continue;
      }
      manualReplicaLists = manual.replicaLists;
    } else {
      if (numPartitions === 0 || numPartitions < -1 || numPartitions > wireLimits.maxPartitionsPerTopicInRequest) {
        fail('INVALID_PARTITIONS', `number of partitions must be between 1 and ${wireLimits.maxPartitionsPerTopicInRequest}, got ${numPartitions}`);
        continue;
      }
      const rfProblem = replicationFactorProblem(replicationFactor, usable.length);
      if (rfProblem !== undefined) {
        fail('INVALID_REPLICATION_FACTOR', rfProblem);
        continue;
      }
    }
    const configs = Object.fromEntries(topic.configs.filter((entry) => entry.value !== null).map((entry) => [entry.name, entry.value as string]));
    const configProblem = dependencies.topicConfigProblem(configs);
    if (configProblem !== undefined) {
      fail('INVALID_CONFIG', configProblem);
      continue;
    }
    collisionKeys.set(collisionKey(topic.name), topic.name);
    const topicId = dependencies.newTopicId();
    results.push({
      name: topic.name,
      topicId,
      errorName: 'NONE',
      errorMessage: null,
      numPartitions: manualReplicaLists?.length ?? numPartitions,
      replicationFactor: manualReplicaLists?.[0]?.length ?? replicationFactor,
    });
    if (request.validateOnly) continue;
    const replicaLists = manualReplicaLists ?? placeReplicas({
      brokerIds: usable,
      numPartitions,
      replicationFactor,
      startIndex: dependencies.randomInt(usable.length),
      replicaShift: dependencies.randomInt(usable.length),
      firstPartitionId: 0,
      racks: racksOf(state, usable),
    });
    records.push({ type: 'Topic', name: topic.name, topicId });
    for (const [name, value] of Object.entries(configs)) {
      records.push({ type: 'Config', resourceType: 'topic', resourceName: topic.name, name, value });
    }
    records.push(...partitionRecords(state, topicId, replicaLists, 0));
  }
  return { records, results };
}

export interface DeleteTopicResult {
  name: string;
  topicId: string | null;
  errorName: ErrorName;
  errorMessage: string | null;
}

export function deleteTopics(state: ControllerState, request: RequestBody<'deleteTopics'>): CommandOutcome<DeleteTopicResult> {
  const records: MetadataRecord[] = [];
  const results: DeleteTopicResult[] = [];
  const seen = new Set<string>();
  for (const name of request.topicNames) {
    const topic = state.topics[name];
    if (seen.has(name)) {
      results.push({ name, topicId: null, errorName: 'INVALID_REQUEST', errorMessage: `topic ${quotedName(name)} appears more than once in the request` });
    } else if (topic === undefined) {
      results.push({ name, topicId: null, errorName: 'UNKNOWN_TOPIC_OR_PARTITION', errorMessage: `topic ${quotedName(name)} does not exist` });
    } else {
      records.push({ type: 'RemoveTopic', topicId: topic.topicId });
      results.push({ name, topicId: topic.topicId, errorName: 'NONE', errorMessage: null });
    }
    seen.add(name);
  }
  return { records, results };
}

export interface CreatePartitionsResult {
  name: string;
  errorName: ErrorName;
  errorMessage: string | null;
}

export function createPartitions(
  state: ControllerState,
  request: RequestBody<'createPartitions'>,
  dependencies: Pick<TopicCommandDependencies, 'randomInt'>,
): CommandOutcome<CreatePartitionsResult> {
  const records: MetadataRecord[] = [];
  const results: CreatePartitionsResult[] = [];
  const usable = usableBrokers(state);
  const seen = new Set<string>();
  for (const request_ of request.topics) {
    const topic = state.topics[request_.name];
    const fail = (errorName: ErrorName, errorMessage: string): void => {
      results.push({ name: request_.name, errorName, errorMessage });
    };
    if (seen.has(request_.name)) {
      fail('INVALID_REQUEST', `topic ${quotedName(request_.name)} appears more than once in the request`);
      continue;
    }
    seen.add(request_.name);
    if (topic === undefined) {
      fail('UNKNOWN_TOPIC_OR_PARTITION', `topic ${quotedName(request_.name)} does not exist`);
      continue;
    }
    const current = topic.partitions.length;
    if (request_.count <= current) {
      fail('INVALID_PARTITIONS', `topic ${topic.name} has ${current} partitions; the count can only grow, got ${request_.count}`);
      continue;
    }
    if (request_.count > wireLimits.maxPartitionsPerTopicInRequest) {
      fail('INVALID_PARTITIONS', `a topic may have at most ${wireLimits.maxPartitionsPerTopicInRequest} partitions`);
      continue;
    }
    if (request_.assignments !== null) {
      fail('INVALID_REPLICA_ASSIGNMENT', 'manual replica assignment is not supported yet: let the controller place replicas');
      continue;
    }
    const replicationFactor = topic.partitions[0]?.replicas.length ?? 1;
    const rfProblem = replicationFactorProblem(replicationFactor, usable.length);
    if (rfProblem !== undefined) {
      fail('INVALID_REPLICATION_FACTOR', rfProblem);
      continue;
    }
    results.push({ name: topic.name, errorName: 'NONE', errorMessage: null });
    if (request.validateOnly) continue;
    const replicaLists = placeReplicas({
      brokerIds: usable,
      numPartitions: request_.count - current,
      replicationFactor,
      startIndex: dependencies.randomInt(usable.length),
      replicaShift: dependencies.randomInt(usable.length),
      firstPartitionId: current,
      racks: racksOf(state, usable),
    });
    records.push(...partitionRecords(state, topic.topicId, replicaLists, current));
  }
  return { records, results };
}
