/**
 * TxnOffsetCommit (Kafka api key 28, KIP-98; generation, member and instance ids from KIP-447): a transactional
 * producer sends a group's offsets to the group coordinator as part of its transaction. They stay pending, invisible
 * to OffsetFetch, until the transaction's marker reaches the group's `__consumer_offsets` partition: applied on
 * COMMIT, dropped on ABORT. The KIP-447 fields let the coordinator validate the commit like a member's
 * (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID), so a zombie from an old generation cannot commit;
 * -1, '' and null skip that check, as Kafka's defaults do. The offsets' bounds are OffsetCommit's.
 */
import { z } from 'zod';
import { commitResultTopics, committedOffsetTopics } from './offset-commit.js';
import { int16, int32, int64, kafkaString, nullableString } from './primitives.js';

export const txnOffsetCommitRequestV0 = z.strictObject({
  transactionalId: kafkaString,
  groupId: kafkaString,
  producerId: int64,
  producerEpoch: int16,
  /** The consumer's generation (KIP-447), or -1 to skip the generation check. */
  generationId: int32,
  /** The consumer's member id (KIP-447), or '' to skip the member check. */
  memberId: kafkaString,
  /** The consumer's group.instance.id (KIP-447), or null. */
  groupInstanceId: nullableString,
  topics: committedOffsetTopics,
});

export const txnOffsetCommitResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  topics: commitResultTopics,
});
