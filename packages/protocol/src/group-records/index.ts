export type {
  ConsumerGroupCurrentMemberAssignmentValue,
  ConsumerGroupMemberMetadataValue,
  ConsumerGroupPartitionMetadataTopic,
  ConsumerGroupRecord,
  GroupMetadataMember,
  GroupMetadataValue,
  GroupRecord,
  OffsetCommitValue,
  TopicIdPartitions,
} from './types.js';
export { decodeGroupRecord, encodeGroupRecordKey, encodeGroupRecordValue, type DecodedGroupRecord } from './codec.js';
