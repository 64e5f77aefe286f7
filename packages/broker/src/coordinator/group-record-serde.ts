/**
 * The group coordinator's records as `__consumer_offsets` keys and values (Kafka's byte layout, in @kactor/protocol):
 * offset commits, classic group metadata and KIP-848's consumer group records (types 3 to 8). Encoding a consumer group
 * record that names a topic id which is not a Kafka UUID throws GroupRecordEncodeError naming it.
 */
import { decodeGroupRecord, encodeGroupRecordKey, encodeGroupRecordValue, type GroupRecord } from '@kactor/protocol';
import type { CoordinatorRecordSerde } from '../coordinator-runtime/coordinator-shard.js';

export const groupRecordSerde: CoordinatorRecordSerde<GroupRecord> = {
  encode: (record) => ({ key: encodeGroupRecordKey(record), value: encodeGroupRecordValue(record) }),
  // A record of a type this version does not know (a newer Kafka's) is skipped, as Kafka's loader does.
  decode: (key, value) => {
    const decoded = decodeGroupRecord(key, value);
    return decoded.ok ? decoded.record : undefined;
  },
};
