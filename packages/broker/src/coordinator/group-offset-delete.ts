/**
 * OffsetDelete (KIP-496) for one group, after Kafka's `OffsetMetadataManager.deleteOffsets` and
 * `ClassicGroup.validateOffsetDelete` / `isSubscribedToTopic`: an active group that is not a consumer group
 * refuses it all (NON_EMPTY_GROUP); a partition whose topic the group's members subscribe to keeps its
 * offset (GROUP_SUBSCRIBED_TO_TOPIC); every other asked partition with a committed offset gets a tombstone
 * in `__consumer_offsets`, and the offsets are dropped from the group only once the append succeeded, so a
 * coordinator that replays the log sees the same offsets.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { CONSUMER_PROTOCOL_TYPE, errorByName } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { memberList, offsetKey, selectedMetadata, type ClassicGroupData, type ClassicGroupStateName } from './classic-group.js';
import type { GroupEffect, OffsetCommitResponseDraft } from './group-effects.js';
import { appendErrorForCommit, type GroupOffsets } from './group-offsets.js';
import type { GroupRecord } from './group-records.js';
import { subscriptionOf } from './rebalance-record.js';

/** Kafka's `validateOffsetDelete` for a classic group that exists (an unknown one is GROUP_ID_NOT_FOUND before it gets here). */
export function offsetDeleteProblem(group: ClassicGroupData, state: ClassicGroupStateName): ErrorName | undefined {
  if (state === 'Dead') return 'GROUP_ID_NOT_FOUND';
  if (state === 'Empty') return undefined;
  return group.protocolType === CONSUMER_PROTOCOL_TYPE ? undefined : 'NON_EMPTY_GROUP';
}

/**
 * The topics the group's members subscribe to with the selected protocol (Kafka's `subscribedTopics`). A
 * member whose subscription cannot be read protects nothing here; the readable members' topics still count.
 */
export function subscribedTopics(group: ClassicGroupData): Set<string> {
  const topics = new Set<string>();
  if (group.protocolType !== CONSUMER_PROTOCOL_TYPE || group.protocolName === null) return topics;
  for (const member of memberList(group)) for (const topic of subscriptionOf(group.protocolType, selectedMetadata(group, member))?.topics ?? []) topics.add(topic);
  return topics;
}

/** The whole request refused in OffsetDelete's shape. */
export function offsetDeleteRefusal(errorName: ErrorName): ResponseBody<'offsetDelete'> {
  return { errorCode: errorByName(errorName).code, throttleTimeMs: 0, topics: [] };
}

/**
 * What an OffsetDelete does to the group: an answer at once when nothing is to be written (refused, or no
 * asked partition has an offset), else tombstones whose append answers the request.
 */
export function prepareOffsetDelete(group: ClassicGroupData, state: ClassicGroupStateName, ref: RequestRef, request: RequestBody<'offsetDelete'>): GroupEffect[] {
  const problem = offsetDeleteProblem(group, state);
  if (problem !== undefined) return [{ kind: 'respond', ref, body: offsetDeleteRefusal(problem) }];
  return offsetDeleteEffects(group, state === 'Empty' ? new Set<string>() : subscribedTopics(group), ref, request);
}

/**
 * The tombstones of the asked partitions that have an offset, except those of `subscribed` topics (GROUP_SUBSCRIBED_TO_TOPIC):
 * for a group of either kind that accepts the request.
 */
export function offsetDeleteEffects(group: GroupOffsets, subscribed: ReadonlySet<string>, ref: RequestRef, request: RequestBody<'offsetDelete'>): GroupEffect[] {
  const records: GroupRecord[] = [];
  // A partition named twice gets one tombstone; a set keeps this linear in the (bounded) request size.
  const written = new Set<string>();
  const draft: OffsetCommitResponseDraft = {
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map(({ partitionIndex }) => {
        if (subscribed.has(topic.name)) return { partitionIndex, errorCode: errorByName('GROUP_SUBSCRIBED_TO_TOPIC').code };
        const key = offsetKey(topic.name, partitionIndex);
        if (group.offsets[key] !== undefined && !written.has(key)) {
          written.add(key);
          records.push({ type: 'OffsetCommit', groupId: group.groupId, topic: topic.name, partition: partitionIndex, value: null });
        }
        return { partitionIndex, errorCode: 0 };
      }),
    })),
  };
  if (records.length === 0) return [{ kind: 'respond', ref, body: offsetDeleteAnswer(draft) }];
  return [{ kind: 'append', records, purpose: { kind: 'offsetDelete', ref, response: draft } }];
}

export function offsetDeleteAnswer(draft: OffsetCommitResponseDraft): ResponseBody<'offsetDelete'> {
  return { errorCode: 0, throttleTimeMs: 0, topics: draft.topics };
}

/** The tombstones could not be written: nothing was deleted, and the client learns why as a whole (retriable when the coordinator moved). */
export function failedOffsetDeleteAnswer(errorName: ErrorName): ResponseBody<'offsetDelete'> {
  return offsetDeleteRefusal(appendErrorForCommit(errorName));
}
