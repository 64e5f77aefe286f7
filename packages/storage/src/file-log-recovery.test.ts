import * as nodeFs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeBatchCrc, CRC_OFFSET, LAST_OFFSET_DELTA_OFFSET, readBatchHeader, verifyBatchCrc } from '@kactor/protocol';
import { FileLogStore } from './file-log-store.js';
import type { FileLog } from './file-log.js';
import { offsetsOf, readAll } from './log-compliance.js';
import { testClock, makeTempDir, producerBatch, removeDir, testLogConfig } from './test-support.js';
import type { LogConfig } from './log.js';

const NEVER = 2 ** 63;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function setup(config: LogConfig = testLogConfig()) {
  const dataDir = makeTempDir();
  dirs.push(dataDir);
  const clock = testClock();
  const openStore = () => new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER });
  const partitionDir = path.join(dataDir, 'orders-0');
  const file = (name: string) => path.join(partitionDir, name);
  return { dataDir, clock, openStore, partitionDir, file, config };
}

function appendValues(log: FileLog, values: readonly string[]): void {
  for (const value of values) log.append(producerBatch([value]), { leaderEpoch: 1, recordCount: 1 });
}

/** Closes the logs but not the store: the data is written, the clean-shutdown marker is not. */
function crash(log: FileLog): void {
  log.close();
}

const FIRST_LOG = '00000000000000000000.log';
const FIRST_INDEX = '00000000000000000000.index';

describe('FileLog recovery after an unclean shutdown', () => {
  const damages: Array<[string, (file: string) => void]> = [
    ['the .log cut in the middle of the last batch', (file) => nodeFs.truncateSync(file, nodeFs.statSync(file).size - 10)],
    [
      'a byte of the last batch corrupted',
      (file) => {
        const bytes = nodeFs.readFileSync(file);
        bytes[bytes.length - 3]! ^= 0xff;
        nodeFs.writeFileSync(file, bytes);
      },
    ],
    ['a few bytes of a next batch header left at the end', (file) => nodeFs.appendFileSync(file, Buffer.from([0, 0, 0, 0, 0, 0, 0, 9]))],
  ];

  for (const [damage, apply] of damages) {
    it(`ends at the last good batch and appends contiguously after ${damage}`, () => {
      const { openStore, file, config } = setup();
      const before = openStore().open('orders', 0, 'id', config);
      appendValues(before, ['a', 'b', 'c', 'd', 'e']);
      crash(before);
      const endOfGoodData = nodeFs.statSync(file(FIRST_LOG)).size - producerBatch(['e']).length;
      const truncatesLastBatch = !damage.startsWith('a few bytes');
      apply(file(FIRST_LOG));

      const store = openStore();
      expect(store.wasCleanShutdown).toBe(false);
      const log = store.open('orders', 0, 'id', config);
      const expected = truncatesLastBatch ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c', 'd', 'e'];
      expect(log.logEndOffset).toBe(expected.length);
      expect(readAll(log)).toEqual(expected);
      expect(nodeFs.statSync(file(FIRST_LOG)).size).toBe(truncatesLastBatch ? endOfGoodData : endOfGoodData + producerBatch(['e']).length);
      expect(log.append(producerBatch(['z']), { leaderEpoch: 2, recordCount: 1 }).baseOffset).toBe(expected.length);
      expect(readAll(log)).toEqual([...expected, 'z']);
      expect(log.recoveryPoint).toBe(expected.length);
      store.close();
    });
  }

  it('rebuilds a deleted index while recovering, and every offset is found through it', () => {
    const { openStore, file } = setup();
    const config = testLogConfig({ indexIntervalBytes: 100 });
    const before = openStore().open('orders', 0, 'id', config);
    appendValues(before, Array.from({ length: 30 }, (_, i) => `v${i}`));
    crash(before);
    const index = nodeFs.readFileSync(file(FIRST_INDEX));
    expect(index.length).toBeGreaterThan(0);
    nodeFs.rmSync(file(FIRST_INDEX));

    const log = openStore().open('orders', 0, 'id', config);
    expect(nodeFs.readFileSync(file(FIRST_INDEX))).toEqual(index);
    for (let offset = 0; offset < 30; offset++) expect(offsetsOf(log.read(offset, 1, 30).records)).toEqual([offset]);
    log.close();
  });

  it('cuts the log at a corrupt batch in an older segment and deletes every later segment', () => {
    const { openStore, file } = setup();
    const config = testLogConfig({ segmentBytes: producerBatch(['v0']).length * 3 });
    const before = openStore().open('orders', 0, 'id', config);
    appendValues(before, ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
    expect(before.segmentBaseOffsets).toEqual([0, 3, 6]);
    crash(before);
    // Without a recovery point, every segment is checked.
    nodeFs.rmSync(file('recovery-point'));
    const middle = file('00000000000000000003.log');
    const bytes = nodeFs.readFileSync(middle);
    bytes[producerBatch(['v3']).length + 30]! ^= 0x01; // inside the CRC range of the middle segment's second batch (offset 4)
    nodeFs.writeFileSync(middle, bytes);

    const log = openStore().open('orders', 0, 'id', config);
    expect(log.logEndOffset).toBe(4);
    expect(log.segmentBaseOffsets).toEqual([0, 3]);
    expect(nodeFs.existsSync(file('00000000000000000006.log'))).toBe(false);
    expect(nodeFs.existsSync(file('00000000000000000006.index'))).toBe(false);
    expect(log.append(producerBatch(['new']), { leaderEpoch: 2, recordCount: 1 }).baseOffset).toBe(4);
    expect(readAll(log)).toEqual(['v0', 'v1', 'v2', 'v3', 'new']);
    log.close();
  });

  it('checks only the segments from the recovery point onwards', () => {
    const { openStore, file } = setup();
    const config = testLogConfig({ segmentBytes: producerBatch(['v0']).length * 2 });
    const before = openStore().open('orders', 0, 'id', config);
    appendValues(before, ['v0', 'v1', 'v2', 'v3', 'v4']);
    crash(before);
    // A bad CRC below the recovery point is not looked at, as in Kafka: that data was flushed.
    const flushed = file(FIRST_LOG);
    const bytes = nodeFs.readFileSync(flushed);
    bytes[bytes.length - 1]! ^= 0x01;
    nodeFs.writeFileSync(flushed, bytes);
    const log = openStore().open('orders', 0, 'id', config);
    expect(log.logEndOffset).toBe(5);
    expect(verifyBatchCrc(log.read(1, 1, 5).records, 0)).toBe(false);
    log.close();
  });
});

describe('FileLog after a clean shutdown', () => {
  it('skips recovery: the segments are trusted as they are', () => {
    const { openStore, file, dataDir, config } = setup();
    const first = openStore();
    appendValues(first.open('orders', 0, 'id', config), ['a', 'b', 'c']);
    first.close();
    expect(nodeFs.existsSync(path.join(dataDir, '.kafka_cleanshutdown'))).toBe(true);
    const bytes = nodeFs.readFileSync(file(FIRST_LOG));
    bytes[bytes.length - 1]! ^= 0x01;
    nodeFs.writeFileSync(file(FIRST_LOG), bytes);

    const store = openStore();
    expect(store.wasCleanShutdown).toBe(true);
    expect(nodeFs.existsSync(path.join(dataDir, '.kafka_cleanshutdown'))).toBe(false);
    const log = store.open('orders', 0, 'id', config);
    expect(log.logEndOffset).toBe(3);
    expect(verifyBatchCrc(log.read(2, 1, 3).records, 0)).toBe(false);
    store.close();
  });

  it('preserves offsets, segments and bytes across a reopen', () => {
    const { openStore } = setup();
    const config = testLogConfig({ segmentBytes: producerBatch(['v0']).length * 2, indexIntervalBytes: 1 });
    const first = openStore();
    const before = first.open('orders', 0, 'id', config);
    appendValues(before, ['v0', 'v1', 'v2', 'v3', 'v4']);
    const bytesBefore = [0, 2, 4].map((offset) => before.read(offset, 10_000, 5).records);
    first.close();

    const store = openStore();
    const log = store.open('orders', 0, 'id', config);
    expect([log.logStartOffset, log.logEndOffset, log.segmentCount, log.sizeBytes]).toEqual([0, 5, 3, before.sizeBytes]);
    expect([0, 2, 4].map((offset) => log.read(offset, 10_000, 5).records)).toEqual(bytesBefore);
    expect(log.append(producerBatch(['v5']), { leaderEpoch: 1, recordCount: 1 }).baseOffset).toBe(5);
    store.close();
  });

  it.each([
    ['missing', (file: string) => nodeFs.rmSync(file)],
    ['cut to a partial entry', (file: string) => nodeFs.truncateSync(file, 5)],
    ['pointing past the end of the log', (file: string) => nodeFs.writeFileSync(file, Buffer.from([0, 0, 0, 1, 0x7f, 0, 0, 0]))],
  ])('rebuilds an index that is %s', (_, damage) => {
    const { openStore, file } = setup();
    const config = testLogConfig({ indexIntervalBytes: 100 });
    const first = openStore();
    appendValues(first.open('orders', 0, 'id', config), Array.from({ length: 20 }, (_, i) => `v${i}`));
    first.close();
    const index = nodeFs.readFileSync(file(FIRST_INDEX));
    damage(file(FIRST_INDEX));

    const store = openStore();
    const log = store.open('orders', 0, 'id', config);
    expect(nodeFs.readFileSync(file(FIRST_INDEX))).toEqual(index);
    for (let offset = 0; offset < 20; offset++) expect(offsetsOf(log.read(offset, 1, 20).records)).toEqual([offset]);
    store.close();
  });
});

describe('FileLog of a brand-new partition', () => {
  // A new partition has nothing to recover and no index to rebuild: logging either read like corruption (issue 10, A6).
  it.each([
    ['after a clean shutdown', true],
    ['after an unclean shutdown (or in a fresh data directory)', false],
  ])('logs no recovery and no rebuilt index %s, and takes appends from offset 0', (_, cleanShutdown) => {
    const { dataDir, clock, config, file } = setup();
    if (cleanShutdown) new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER }).close();
    const messages: string[] = [];
    const logger = { info: (_fields: object, message: string) => messages.push(message), warn: (_fields: object, message: string) => messages.push(message) };
    const store = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER, logger });
    expect(store.wasCleanShutdown).toBe(cleanShutdown);
    const log = store.open('orders', 0, 'id', config);
    expect(messages.filter((message) => message !== 'opened the log directory')).toEqual([]);
    expect(nodeFs.existsSync(file(FIRST_INDEX))).toBe(true);
    appendValues(log, ['a', 'b']);
    expect(offsetsOf(log.read(0, 10_000, 2).records)).toEqual([0, 1]);
    store.close();
  });

  it('still logs the rebuild of an index that was really missing', () => {
    const { dataDir, clock, config, file, openStore } = setup();
    const first = openStore();
    appendValues(first.open('orders', 0, 'id', config), ['a']);
    first.close();
    nodeFs.rmSync(file(FIRST_INDEX));
    const messages: string[] = [];
    const logger = { info: (_fields: object, message: string) => messages.push(message), warn: (_fields: object, message: string) => messages.push(message) };
    const store = new FileLogStore(dataDir, { clock, logFlushSchedulerIntervalMs: NEVER, logger });
    store.open('orders', 0, 'id', config);
    expect(messages).toContain('rebuilt a missing or inconsistent offset index');
    store.close();
  });
});

describe('FileLog files', () => {
  it('names segments by base offset in 20 digits and checkpoints the recovery point when a segment rolls', () => {
    const { openStore, file, partitionDir } = setup();
    const config = testLogConfig({ segmentBytes: producerBatch(['v0']).length * 2 });
    const store = openStore();
    const log = store.open('orders', 0, 'id', config);
    appendValues(log, ['v0', 'v1', 'v2']);
    expect(nodeFs.readdirSync(partitionDir).sort()).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000002.index',
      '00000000000000000002.log',
      'partition.metadata',
      'recovery-point',
    ]);
    expect(nodeFs.readFileSync(file('recovery-point'), 'utf8')).toBe('0\n1\norders 0 2\n');
    expect(log.recoveryPoint).toBe(2);
    store.close();
    expect(nodeFs.readFileSync(file('recovery-point'), 'utf8')).toBe('0\n1\norders 0 3\n');
    expect(nodeFs.readFileSync(file('partition.metadata'), 'utf8')).toBe('version: 0\ntopic_id: id\n');
  });

  it('rolls before relative offsets overflow 31 bits, and keeps offsets above 2^32 across a restart', () => {
    const { openStore } = setup();
    const config = testLogConfig();
    const wideBatch = () => {
      // One record claiming 2^31 - 1 offsets: storage trusts lastOffsetDelta, so offsets climb fast.
      const bytes = producerBatch(['w']);
      new DataView(bytes.buffer).setInt32(LAST_OFFSET_DELTA_OFFSET, 0x7ffffffe);
      new DataView(bytes.buffer).setUint32(CRC_OFFSET, computeBatchCrc(bytes, 0, bytes.length));
      return bytes;
    };
    const first = openStore();
    const log = first.open('orders', 0, 'id', config);
    for (let i = 0; i < 3; i++) log.append(wideBatch(), { leaderEpoch: 0, recordCount: 1 });
    const step = 0x7fffffff;
    expect(log.segmentBaseOffsets).toEqual([0, step, 2 * step]);
    expect(log.logEndOffset).toBe(3 * step);
    const beyond = 2 ** 32 + 5;
    expect(readBatchHeader(log.read(beyond, 1, log.logEndOffset).records, 0)?.baseOffset).toBe(2 * step);
    log.close(); // no clean-shutdown marker: the last segment is recovered

    const store = openStore();
    const reopened = store.open('orders', 0, 'id', config);
    expect(reopened.logEndOffset).toBe(3 * step);
    expect(readBatchHeader(reopened.read(beyond, 1, reopened.logEndOffset).records, 0)?.baseOffset).toBe(2 * step);
    store.close();
  });
});
