/**
 * `groups reset-offsets` against the cluster: checks the group is inactive (Kafka's rule: its members would
 * overwrite new offsets with their next commit), gathers each partition's log start and end, committed
 * offset and (for --to-datetime / --by-duration) the offset for the time, plans the reset, and applies it
 * only with --execute.
 */
import type { Admin, PartitionResult } from '@kactor/client';
import { CliError, describeError } from './errors.js';
import { describeOneGroup } from './group-describe.js';
import type { ResetRequest } from './group-reset-options.js';
import { planReset, type PartitionFacts, type ResetPlan } from './group-reset-plan.js';

export type ResetAdmin = Pick<Admin, 'describeGroups' | 'listConsumerGroupOffsets' | 'describeTopics' | 'listOffsets' | 'alterConsumerGroupOffsets'>;

export interface ResetOutcome {
  plan: ResetPlan;
  /** One result per partition when --execute applied the plan; null for a dry run. */
  applied: PartitionResult[] | null;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export async function resetGroupOffsets(admin: ResetAdmin, group: string, request: ResetRequest): Promise<ResetOutcome> {
  const description = await describeOneGroup(admin, group);
  if (!['Empty', 'Dead'].includes(description.state)) {
    throw new CliError(`Assignments can only be reset if the group '${group}' is inactive, but the current state is ${description.state}.`);
  }
  const committed = await admin.listConsumerGroupOffsets(group);
  const committedOffsets = new Map(committed.filter((entry) => entry.offset !== null).map((entry) => [key(entry.topic, entry.partition), entry.offset as number]));
  const wanted =
    request.scope.kind === 'allTopics'
      ? committed.filter((entry) => entry.offset !== null).map((entry) => ({ topic: entry.topic, partitions: [entry.partition] as number[] | undefined }))
      : request.scope.topics;
  const topicNames = [...new Set(wanted.map((entry) => entry.topic))];
  const descriptions = new Map((await admin.describeTopics(topicNames)).map((topic) => [topic.name, topic]));
  const facts: PartitionFacts[] = [];
  const seen = new Set<string>();
  for (const { topic, partitions } of wanted) {
    const description = descriptions.get(topic);
    if (description === undefined || description.error !== null) throw new CliError(`cannot reset offsets of topic ${topic}: ${description?.error === undefined || description.error === null ? 'not found' : describeError(description.error)}`);
    const byIndex = new Map(description.partitions.map((partition) => [partition.partition, partition]));
    for (const index of partitions ?? [...byIndex.keys()]) {
      const partition = byIndex.get(index);
      if (partition === undefined) throw new CliError(`UNKNOWN_TOPIC_OR_PARTITION: topic ${topic} has no partition ${index} (it has ${byIndex.size})`);
      if (seen.has(key(topic, index))) continue;
      seen.add(key(topic, index));
      if (partition.logStartOffset < 0) throw new CliError(`Error getting starting offset of topic partition: ${topic}-${index} (its leader did not answer)`);
      if (partition.highWatermark < 0) throw new CliError(`Error getting ending offset of topic partition: ${topic}-${index} (its leader did not answer)`);
      facts.push({ topic, partition: index, logStartOffset: partition.logStartOffset, logEndOffset: partition.highWatermark, committedOffset: committedOffsets.get(key(topic, index)) ?? null });
    }
  }
  if (request.spec.kind === 'timestamp') {
    const spec = { kind: 'timestamp' as const, timestampMs: request.spec.timestampMs };
    const found = await admin.listOffsets(facts.map((entry) => ({ topic: entry.topic, partition: entry.partition, spec })));
    const byPartition = new Map(found.map((result) => [key(result.topic, result.partition), result]));
    for (const entry of facts) {
      const result = byPartition.get(key(entry.topic, entry.partition));
      if (result === undefined || result.error !== null) {
        throw new CliError(`Error getting offset by timestamp of topic partition: ${entry.topic}-${entry.partition}${result?.error ? ` (${describeError(result.error)})` : ''}`);
      }
      entry.offsetForTimestamp = result.offset < 0 ? null : result.offset;
    }
  }
  const plan = planReset(facts, request.spec);
  if (!request.execute || plan.offsets.length === 0) return { plan, applied: null };
  return { plan, applied: await admin.alterConsumerGroupOffsets(group, plan.offsets) };
}
