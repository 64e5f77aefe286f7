/**
 * The `quorum-state` store (issue 12): both implementations pass the compliance suite; the file is Kafka's
 * QuorumStateData v1 JSON, replaced as Kafka's FileQuorumStateStore does (delete .tmp, write it, fsync, rename,
 * fsync the folder); a corrupt file or a failed write is a KafkaStorageError naming the file; a crash between the
 * temporary write and the rename leaves the old state readable.
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaStorageError } from './errors.js';
import { describeQuorumStateStoreCompliance, followerKeepingVote, leaderState, votedState } from './quorum-state-compliance.js';
import { parseQuorumState, ZERO_DIRECTORY_ID } from './quorum-state.js';
import { FileQuorumStateStore, MemoryQuorumStateStore, type QuorumStateStore } from './quorum-state-store.js';
import { systemFs, type StorageFs } from './storage-fs.js';
import { countingFs, diskThatFills, makeTempDir, removeDir } from './test-support.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = makeTempDir('kactor-quorum-state-');
  dirs.push(dir);
  return dir;
}
function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) removeDir(dir);
}

describeQuorumStateStoreCompliance('FileQuorumStateStore', {
  create: () => new FileQuorumStateStore(systemFs, tempDir()),
  reopen: (store) => new FileQuorumStateStore(systemFs, path.dirname((store as FileQuorumStateStore).path)),
  cleanup: removeTempDirs,
});

describeQuorumStateStoreCompliance('MemoryQuorumStateStore', {
  create: () => new MemoryQuorumStateStore(),
  // The memory store is its own "disk": a restarted replica is handed the same object.
  reopen: (store) => store,
  cleanup: () => undefined,
});

const fileOf = (dir: string) => path.join(dir, 'quorum-state');

/** The fs calls a write makes, in order, by name and file. */
function recordingFs(): StorageFs & { calls: string[] } {
  const fds = new Map<number, string>();
  const calls: string[] = [];
  const name = (filePath: string) => path.basename(filePath);
  return {
    ...systemFs,
    calls,
    openSync(filePath: string, flags: number): number {
      const fd = systemFs.openSync(filePath, flags);
      fds.set(fd, name(filePath));
      calls.push(`open ${name(filePath)}`);
      return fd;
    },
    writeSync(fd, buffer, offset, length, position) {
      calls.push(`write ${fds.get(fd)}`);
      return systemFs.writeSync(fd, buffer, offset, length, position);
    },
    fsyncSync(fd) {
      calls.push(`fsync ${fds.get(fd)}`);
      systemFs.fsyncSync(fd);
    },
    renameSync(from, to) {
      calls.push(`rename ${name(from)} ${name(to)}`);
      systemFs.renameSync(from, to);
    },
    unlinkSync(filePath) {
      calls.push(`unlink ${name(filePath)}`);
      systemFs.unlinkSync(filePath);
    },
  };
}

describe('the quorum-state file', () => {
  afterEach(removeTempDirs);

  it("is Kafka's QuorumStateData v1 JSON: one line, Kafka's field order, data_version 1", () => {
    const dir = tempDir();
    new FileQuorumStateStore(systemFs, dir).write(votedState);
    expect(nodeFs.readFileSync(fileOf(dir), 'utf8')).toBe('{"leaderId":-1,"leaderEpoch":2,"votedId":1,"votedDirectoryId":"J8aAPcfLQt2bqs1JT_rMgQ","data_version":1}');
    expect(nodeFs.readdirSync(dir)).toEqual(['quorum-state']);
  });

  it("reads the file Kafka's FileQuorumStateStore documents (pretty-printed on one line or not)", () => {
    expect(parseQuorumState('{"leaderId": 1, "leaderEpoch": 2, "votedId": 1, "votedDirectoryId": "AAAAAAAAAAAAAAAAAAAAAA", "data_version": 1}', 'quorum-state')).toEqual({
      ...followerKeepingVote,
      votedDirectoryId: ZERO_DIRECTORY_ID,
    });
  });

  it('is replaced as Kafka does: delete a leftover .tmp, write and fsync the .tmp, rename it over the file, fsync the folder', () => {
    const dir = tempDir();
    nodeFs.writeFileSync(fileOf(dir) + '.tmp', 'left by a crash');
    const fs = recordingFs();
    new FileQuorumStateStore(fs, dir).write(leaderState);
    expect(fs.calls).toEqual([
      'unlink quorum-state.tmp',
      'open quorum-state.tmp',
      'write quorum-state.tmp',
      'fsync quorum-state.tmp',
      'rename quorum-state.tmp quorum-state',
      `open ${path.basename(dir)}`,
      `fsync ${path.basename(dir)}`,
    ]);
    expect(nodeFs.readdirSync(dir)).toEqual(['quorum-state']);
  });

  it('fsyncs the data before the rename makes it visible, on every write', () => {
    const dir = tempDir();
    const fs = countingFs();
    const store = new FileQuorumStateStore(fs, dir);
    store.write(votedState);
    store.write(leaderState);
    expect(fs.fsyncs).toBe(4); // the temporary file and the folder, twice
  });

  it.each([
    ['an empty file', '', /is empty/],
    ['a torn write', '{"leaderId":-1,"leaderEp', /is not JSON/],
    ['JSON that is not an object', '[1,2]', /is not a JSON object/],
    ['no data_version', '{"leaderId":-1,"leaderEpoch":2,"votedId":1,"votedDirectoryId":"AAAAAAAAAAAAAAAAAAAAAA"}', /has no data_version/],
    // testCantReadVersionQuorumState's file.
    [
      'another data_version',
      '{"leaderId":9990,"leaderEpoch":3012,"votedId":-1,"appliedOffset": 0,"currentVoters":[{"voterId":9990},{"voterId":9991},{"voterId":9992}],"data_version":2}',
      /data_version 2 is not 1/,
    ],
    ['a missing field', '{"leaderId":-1,"leaderEpoch":2,"votedDirectoryId":"AAAAAAAAAAAAAAAAAAAAAA","data_version":1}', /votedId undefined is not a node id/],
    ['an epoch that is a string', '{"leaderId":-1,"leaderEpoch":"2","votedId":1,"votedDirectoryId":"AAAAAAAAAAAAAAAAAAAAAA","data_version":1}', /leaderEpoch "2" is not an epoch/],
  ])('refuses %s on disk with KafkaStorageError naming the file', (_case, content, message) => {
    const dir = tempDir();
    nodeFs.writeFileSync(fileOf(dir), content);
    const store = new FileQuorumStateStore(systemFs, dir);
    expect(() => store.read()).toThrow(KafkaStorageError);
    expect(() => store.read()).toThrow(message);
    expect(() => store.read()).toThrow(`the quorum state ${fileOf(dir)} is corrupt`);
  });

  it('clear deletes the file and a leftover .tmp (testCreateAndClear)', () => {
    const dir = tempDir();
    const store = new FileQuorumStateStore(systemFs, dir);
    store.write(leaderState);
    nodeFs.writeFileSync(fileOf(dir) + '.tmp', 'left by a crash');
    store.clear();
    expect(nodeFs.readdirSync(dir)).toEqual([]);
  });

  it('a write on a full disk fails with KafkaStorageError, keeps the old state and leaves no .tmp', () => {
    const dir = tempDir();
    const fs = diskThatFills();
    const store = new FileQuorumStateStore(fs, dir);
    store.write(votedState);
    fs.full = true;
    expect(() => store.write(leaderState)).toThrow(KafkaStorageError);
    expect(() => store.write(leaderState)).toThrow(/writing the quorum state .*quorum-state failed: ENOSPC/);
    expect(nodeFs.readdirSync(dir)).toEqual(['quorum-state']);
    expect(new FileQuorumStateStore(systemFs, dir).read()).toEqual(votedState);
    fs.full = false;
    store.write(leaderState);
    expect(new FileQuorumStateStore(systemFs, dir).read()).toEqual(leaderState);
  });

  it('a folder that does not exist (or cannot be written) fails the write with KafkaStorageError', () => {
    const store = new FileQuorumStateStore(systemFs, path.join(tempDir(), 'missing'));
    expect(() => store.write(leaderState)).toThrow(KafkaStorageError);
    expect(() => store.write(leaderState)).toThrow(/ENOENT/);
    expect(store.read()).toBeNull();
  });

  it('a crash between the temporary write and the rename leaves the old state readable; the next write replaces the leftover .tmp', () => {
    const dir = tempDir();
    new FileQuorumStateStore(systemFs, dir).write(votedState);
    // The process dies at the rename: nothing after it runs, not even the clean-up of the .tmp.
    class Crash extends Error {}
    let crashed = false;
    const dying: StorageFs = {
      ...systemFs,
      renameSync() {
        crashed = true;
        throw new Crash('killed before the rename');
      },
      unlinkSync(filePath) {
        if (crashed) throw new Crash('the process is dead');
        systemFs.unlinkSync(filePath);
      },
    };
    expect(() => new FileQuorumStateStore(dying, dir).write(leaderState)).toThrow(KafkaStorageError);
    expect(nodeFs.readdirSync(dir).sort()).toEqual(['quorum-state', 'quorum-state.tmp']);
    expect(JSON.parse(nodeFs.readFileSync(fileOf(dir) + '.tmp', 'utf8'))).toMatchObject({ leaderId: 3, leaderEpoch: 5 });

    const restarted: QuorumStateStore = new FileQuorumStateStore(systemFs, dir);
    expect(restarted.read()).toEqual(votedState);
    restarted.write(followerKeepingVote);
    expect(nodeFs.readdirSync(dir)).toEqual(['quorum-state']);
    expect(new FileQuorumStateStore(systemFs, dir).read()).toEqual(followerKeepingVote);
  });

  it('a torn .tmp left by a crash mid-write is never read', () => {
    const dir = tempDir();
    new FileQuorumStateStore(systemFs, dir).write(leaderState);
    nodeFs.writeFileSync(fileOf(dir) + '.tmp', '{"leaderId":3,"lea');
    expect(new FileQuorumStateStore(systemFs, dir).read()).toEqual(leaderState);
  });
});
