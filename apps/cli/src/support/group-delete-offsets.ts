/**
 * `groups delete-offsets G --topic T[:P,...]` (Kafka's kafka-consumer-groups.sh --delete-offsets, KIP-496):
 * which partitions to name, and what to print, in Kafka's words: a first line for the call as a whole, then
 * TOPIC PARTITION STATUS per partition.
 */
import type { Admin, DeleteGroupOffsetsResult, TopicPartition } from '@kactor/client';
import { errorForCode } from '@kactor/protocol';
import { describeError } from './errors.js';
import { formatTable, parseTopicPartitions } from './group-output.js';

export interface DeleteOffsetsOutput {
  /** Lines for stdout. */
  stdout: string[];
  /** Lines for stderr (the call failed as a whole, or some partitions did). */
  stderr: string[];
}

/** Kafka's first line, by the error of the call as a whole (the first partition error when only partitions failed). */
export function deleteOffsetsText(group: string, topicArgs: readonly string[], result: DeleteGroupOffsetsResult, notFound: readonly string[] = []): DeleteOffsetsOutput {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const firstPartitionError = result.partitions.find((partition) => partition.error !== null)?.error ?? null;
  const failure = result.error ?? firstPartitionError ?? (notFound.length > 0 ? 'UNKNOWN_TOPIC_OR_PARTITION' : null);
  const name = failure === null ? 'NONE' : typeof failure === 'string' ? failure : failure.errorName;
  switch (name) {
    case 'NONE':
      stdout.push(`Request succeed for deleting offsets with topic ${topicArgs.join(', ')} group ${group}`);
      break;
    case 'INVALID_GROUP_ID':
      stderr.push(`Error: '${group}' is not valid.`);
      break;
    case 'GROUP_ID_NOT_FOUND':
      stderr.push(`Error: '${group}' does not exist.`);
      break;
    case 'NON_EMPTY_GROUP':
      stderr.push(`Error: Deleting offsets of a consumer group '${group}' is forbidden if the group is not empty.`);
      break;
    case 'GROUP_SUBSCRIBED_TO_TOPIC':
    case 'TOPIC_AUTHORIZATION_FAILED':
    case 'UNKNOWN_TOPIC_OR_PARTITION':
      stderr.push('Error: Encounter some partition level error, see the follow-up details:');
      break;
    default:
      stderr.push(`Error: Encounter some unknown error: ${typeof failure === 'string' ? failure : describeError(failure)}`);
  }
  const rows = [
    ...notFound.map((topic) => ({ topic, partition: 'Not Provided', status: `Error: UNKNOWN_TOPIC_OR_PARTITION: topic ${topic} does not exist` })),
    ...result.partitions.map((partition) => ({
      topic: partition.topic,
      partition: String(partition.partition),
      status: partition.error === null ? 'Successful' : `Error: ${partition.error.errorName}: ${errorForCode(partition.error.code).message}`,
    })),
  ].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : Number(a.partition) - Number(b.partition)));
  stdout.push('', formatTable(['TOPIC', 'PARTITION', 'STATUS'], rows.map((row) => [row.topic, row.partition, row.status])));
  return { stdout, stderr };
}

/** `--json`: the call's outcome and one entry per partition, errors as Kafka's names (null when it worked). */
export function deleteOffsetsJson(result: DeleteGroupOffsetsResult, notFound: readonly string[] = []): string {
  return JSON.stringify({
    group: result.groupId,
    error: result.error?.errorName ?? null,
    partitions: [
      ...notFound.map((topic) => ({ topic, partition: null, error: 'UNKNOWN_TOPIC_OR_PARTITION' })),
      ...result.partitions.map((partition) => ({ topic: partition.topic, partition: partition.partition, error: partition.error?.errorName ?? null })),
    ],
  });
}

/**
 * The partitions `--topic` names: all of a topic's partitions when none are given (asked of the cluster),
 * and the topics the cluster does not know, which Kafka reports as partition "Not Provided".
 */
export async function partitionsToDelete(admin: Pick<Admin, 'describeTopics'>, topicArgs: readonly string[]): Promise<{ partitions: TopicPartition[]; notFound: string[] }> {
  const parsed = topicArgs.map((arg) => parseTopicPartitions(arg));
  const whole = [...new Set(parsed.filter((entry) => entry.partitions === undefined).map((entry) => entry.topic))];
  const described = whole.length === 0 ? [] : await admin.describeTopics(whole);
  const notFound = described.filter((topic) => topic.error !== null).map((topic) => topic.name);
  const partitions: TopicPartition[] = [];
  const seen = new Set<string>();
  const add = (topic: string, partition: number) => {
    if (seen.has(`${topic}\u0000${partition}`)) return;
    seen.add(`${topic}\u0000${partition}`);
    partitions.push({ topic, partition });
  };
  for (const entry of parsed) for (const partition of entry.partitions ?? []) add(entry.topic, partition);
  for (const topic of described) if (topic.error === null) for (const partition of topic.partitions) add(topic.name, partition.partition);
  return { partitions, notFound };
}
