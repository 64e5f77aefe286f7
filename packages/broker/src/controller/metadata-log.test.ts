import { encodeLeaderChangeBatch, parseConfig, topicDefaults } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { encodeMetadataBatch, METADATA_TOPIC, METADATA_TOPIC_ID, readMetadataRecords } from './metadata-log.js';
import type { MetadataRecord } from './metadata-records.js';

const fence = (brokerId: number): MetadataRecord => ({ type: 'FenceBroker', brokerId, brokerEpoch: brokerId * 10 });

/** A metadata log as a quorum leader writes it: each epoch starts with its LeaderChangeMessage (a control batch). */
function quorumLog() {
  const config = parseConfig('topic', {}, { defaults: topicDefaults(parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker' })) });
  const log = new MemoryLogStore({ clock: new SimulatedClock() }).open(METADATA_TOPIC, 0, METADATA_TOPIC_ID, config);
  const leaderChange = (leaderEpoch: number) =>
    log.append(encodeLeaderChangeBatch({ leaderEpoch, baseOffset: log.logEndOffset, timestampMs: 0, leaderId: 1, voters: [{ voterId: 1 }], grantingVoters: [{ voterId: 1 }] }), { leaderEpoch, recordCount: 1 });
  leaderChange(1); // offset 0
  log.append(encodeMetadataBatch([fence(1), fence(2)], 0), { leaderEpoch: 1, recordCount: 2 }); // offsets 1, 2
  leaderChange(2); // offset 3
  log.append(encodeMetadataBatch([fence(3)], 0), { leaderEpoch: 2, recordCount: 1 }); // offset 4
  return log;
}

describe('readMetadataRecords', () => {
  it('skips control batches (LeaderChangeMessage) and keeps every metadata record with its offset', () => {
    expect(readMetadataRecords(quorumLog())).toEqual([
      { offset: 1, record: fence(1) },
      { offset: 2, record: fence(2) },
      { offset: 4, record: fence(3) },
    ]);
  });

  it('reads [fromOffset, toOffset) only: a quorum replica reads up to its high watermark, from where it stopped', () => {
    const log = quorumLog();
    expect(readMetadataRecords(log, { toOffset: 2 })).toEqual([{ offset: 1, record: fence(1) }]);
    expect(readMetadataRecords(log, { fromOffset: 2, toOffset: 4 })).toEqual([{ offset: 2, record: fence(2) }]);
    expect(readMetadataRecords(log, { fromOffset: 3, toOffset: 4 })).toEqual([]);
    expect(readMetadataRecords(log, { fromOffset: 4, toOffset: 99 })).toEqual([{ offset: 4, record: fence(3) }]);
  });
});
