/**
 * The `leader-epoch-checkpoint` file: Kafka's format, atomic replacement, a garbled file refused, and a
 * full disk leaving the old file whole.
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaStorageError } from './errors.js';
import { LeaderEpochCache } from './leader-epoch-cache.js';
import { LeaderEpochCheckpointFile, parseLeaderEpochCheckpoint } from './leader-epoch-checkpoint.js';
import { systemFs } from './storage-fs.js';
import { diskThatFills, makeTempDir, removeDir } from './test-support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir;
}

describe('leader-epoch-checkpoint file', () => {
  it('is written in Kafka format and read back by a new cache (shouldPersistEpochsBetweenInstances)', () => {
    const dir = tempDir();
    const cache = new LeaderEpochCache(new LeaderEpochCheckpointFile(systemFs, dir));
    cache.assign(2, 6);
    cache.assign(3, 8);
    expect(nodeFs.readFileSync(path.join(dir, 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n2\n2 6\n3 8\n');
    expect(new LeaderEpochCache(new LeaderEpochCheckpointFile(systemFs, dir)).epochEntries).toEqual([
      { epoch: 2, startOffset: 6 },
      { epoch: 3, startOffset: 8 },
    ]);
    cache.clear();
    expect(nodeFs.readFileSync(path.join(dir, 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n0\n');
    expect(nodeFs.readdirSync(dir)).toEqual(['leader-epoch-checkpoint']);
  });

  it('a missing file is an empty cache', () => {
    expect(new LeaderEpochCheckpointFile(systemFs, tempDir()).read()).toEqual([]);
  });

  it.each([
    ['a torn write (fewer entries than counted)', '0\n3\n2 6\n3 8\n', /expected 3 entries but found 2/],
    ['more entries than counted', '0\n1\n2 6\n3 8\n', /expected 1 entries but found 2/],
    ['another version', '1\n0\n', /version line "1"/],
    ['an empty file', '', /version line ""/],
    ['a garbled count', '0\nx\n', /count line "x"/],
    ['a garbled entry', '0\n1\n2 six\n', /line 3 "2 six"/],
    ['a negative offset', '0\n1\n2 -6\n', /line 3 "2 -6"/],
  ])('refuses %s with KafkaStorageError', (_case, content, message) => {
    expect(() => parseLeaderEpochCheckpoint(content, 'leader-epoch-checkpoint')).toThrow(KafkaStorageError);
    expect(() => parseLeaderEpochCheckpoint(content, 'leader-epoch-checkpoint')).toThrow(message);
  });

  it('a garbled file on disk stops the cache from loading, naming the file', () => {
    const dir = tempDir();
    nodeFs.writeFileSync(path.join(dir, 'leader-epoch-checkpoint'), '0\n2\n2 6\n');
    expect(() => new LeaderEpochCache(new LeaderEpochCheckpointFile(systemFs, dir))).toThrow(/leader-epoch-checkpoint is malformed/);
  });

  it('a write on a full disk fails with KafkaStorageError and keeps the old file and the cache whole', () => {
    const dir = tempDir();
    const fs = diskThatFills();
    const cache = new LeaderEpochCache(new LeaderEpochCheckpointFile(fs, dir));
    cache.assign(2, 6);
    fs.full = true;
    expect(() => cache.assign(3, 8)).toThrow(KafkaStorageError);
    expect(() => cache.assign(3, 8)).toThrow(/ENOSPC/);
    expect(cache.epochEntries).toEqual([{ epoch: 2, startOffset: 6 }]);
    expect(nodeFs.readdirSync(dir)).toEqual(['leader-epoch-checkpoint']);
    expect(nodeFs.readFileSync(path.join(dir, 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n1\n2 6\n');
    fs.full = false;
    cache.assign(3, 8);
    expect(new LeaderEpochCheckpointFile(systemFs, dir).read()).toEqual([
      { epoch: 2, startOffset: 6 },
      { epoch: 3, startOffset: 8 },
    ]);
  });
});
