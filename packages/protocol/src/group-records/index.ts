export type { GroupMetadataMember, GroupMetadataValue, GroupRecord, OffsetCommitValue } from './types.js';
export { decodeGroupRecord, encodeGroupRecordKey, encodeGroupRecordValue, type DecodedGroupRecord } from './codec.js';
