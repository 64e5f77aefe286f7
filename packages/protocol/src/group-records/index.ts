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
export { CONSUMER_GROUP_RECORD_TYPES, isConsumerGroupRecord } from './consumer-group-codec.js';
export { GroupRecordEncodeError } from './flexible.js';
export { isKafkaUuid, KafkaUuidError, kafkaUuidBytes, kafkaUuidFromBytes, METADATA_TOPIC_KAFKA_UUID, randomKafkaUuid, ZERO_KAFKA_UUID } from './kafka-uuid.js';
