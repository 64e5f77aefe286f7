/**
 * The KRaft quorum's settings (issue 12): Kafka's names and defaults (QuorumConfig, KRaftConfigs), declared but
 * not enforced yet, and `controller.quorum.voters` parsed into voters with clear errors for a malformed entry.
 */
import { describe, expect, it } from 'vitest';
import { brokerConfig } from './broker-config.js';
import { InvalidConfigValueError } from './config-errors.js';
import { formatConfig, parseConfig } from './parse.js';
import { formatQuorumVoter, parseQuorumVoter } from './quorum-voters.js';

const base = { 'node.id': '0', 'process.roles': 'broker,controller' };

function invalid(value: string): InvalidConfigValueError {
  try {
    parseConfig('broker', { ...base, 'controller.quorum.voters': value });
  } catch (error) {
    if (error instanceof InvalidConfigValueError) return error;
    throw error;
  }
  throw new Error(`expected controller.quorum.voters=${value} to be refused`);
}

describe('the metadata quorum settings', () => {
  it("have Kafka's defaults (QuorumConfig, KRaftConfigs)", () => {
    const config = parseConfig('broker', base);
    expect({
      voters: config.controllerQuorumVoters,
      electionTimeoutMs: config.controllerQuorumElectionTimeoutMs,
      fetchTimeoutMs: config.controllerQuorumFetchTimeoutMs,
      electionBackoffMaxMs: config.controllerQuorumElectionBackoffMaxMs,
      requestTimeoutMs: config.controllerQuorumRequestTimeoutMs,
      retryBackoffMs: config.controllerQuorumRetryBackoffMs,
      appendLingerMs: config.controllerQuorumAppendLingerMs,
      snapshotBytes: config.metadataLogMaxRecordBytesBetweenSnapshots,
      snapshotIntervalMs: config.metadataLogMaxSnapshotIntervalMs,
    }).toEqual({
      voters: [],
      electionTimeoutMs: 1_000,
      fetchTimeoutMs: 2_000,
      electionBackoffMaxMs: 1_000,
      requestTimeoutMs: 2_000,
      retryBackoffMs: 20,
      appendLingerMs: 25,
      snapshotBytes: 20_971_520,
      snapshotIntervalMs: 3_600_000,
    });
  });

  it.each([
    'controller.quorum.voters',
    'controller.quorum.election.timeout.ms',
    'controller.quorum.fetch.timeout.ms',
    'controller.quorum.election.backoff.max.ms',
    'controller.quorum.request.timeout.ms',
    'controller.quorum.retry.backoff.ms',
  ])('%s is enforced, in KRaft mode', (name) => {
    const def = brokerConfig.byName.get(name);
    expect(def?.enforced).not.toBe(false);
    expect(def?.implemented).toBe(true);
    expect(def?.note).toMatch(/KRaft mode/);
  });

  it('controller.quorum.append.linger.ms is declared as not enforced, with a note saying why', () => {
    const def = brokerConfig.byName.get('controller.quorum.append.linger.ms');
    expect(def?.enforced).toBe(false);
    expect(def?.note).toMatch(/Not used/);
  });

  it.each(['metadata.log.max.record.bytes.between.snapshots', 'metadata.log.max.snapshot.interval.ms'])('%s is enforced now that nodes write metadata snapshots (KIP-630)', (name) => {
    const def = brokerConfig.byName.get(name);
    expect(def?.enforced).not.toBe(false);
    expect(def?.implemented).toBe(true);
  });

  it('accepts the timers set and keeps them', () => {
    const config = parseConfig('broker', { ...base, 'controller.quorum.election.timeout.ms': '500', 'controller.quorum.fetch.timeout.ms': '1000', 'metadata.log.max.snapshot.interval.ms': '0' });
    expect([config.controllerQuorumElectionTimeoutMs, config.controllerQuorumFetchTimeoutMs, config.metadataLogMaxSnapshotIntervalMs]).toEqual([500, 1_000, 0]);
  });

  it.each([
    ['controller.quorum.election.timeout.ms', '0'],
    ['controller.quorum.fetch.timeout.ms', '-1'],
    ['controller.quorum.retry.backoff.ms', '-1'],
    ['metadata.log.max.record.bytes.between.snapshots', '0'],
    ['metadata.log.max.snapshot.interval.ms', '-1'],
  ])('refuses %s=%s (out of range)', (name, value) => {
    expect(() => parseConfig('broker', { ...base, [name]: value })).toThrow(/out of range/);
  });
});

describe('controller.quorum.voters', () => {
  it('parses {id}@{host}:{port} entries (IPv6 in brackets) in order, and formats them back', () => {
    const config = parseConfig('broker', { ...base, 'controller.quorum.voters': '0@127.0.0.1:9093, 1@localhost:9095,2@[::1]:9097' });
    expect(config.controllerQuorumVoters).toEqual([
      { id: 0, host: '127.0.0.1', port: 9093 },
      { id: 1, host: 'localhost', port: 9095 },
      { id: 2, host: '::1', port: 9097 },
    ]);
    expect(formatConfig('broker', config)['controller.quorum.voters']).toBe('0@127.0.0.1:9093,1@localhost:9095,2@[::1]:9097');
    expect(formatQuorumVoter(parseQuorumVoter(' 7@h:1 '))).toBe('7@h:1');
  });

  it.each([
    ['127.0.0.1:9093', '"127.0.0.1:9093" is not {id}@{host}:{port}'],
    ['0@1@h:9093', '"0@1@h:9093" is not {id}@{host}:{port}'],
    ['a@h:9093', 'voter id "a" in "a@h:9093" is not a node id'],
    ['-1@h:9093', 'voter id "-1"'],
    ['2147483648@h:9093', 'voter id "2147483648"'],
    ['01@h:9093', 'voter id "01"'],
    ['0@h', 'the address of "0@h" is not host:port'],
    ['0@h:70000', 'port 70000 is out of range'],
    ['0@h:1,,1@h:2', 'contains an empty entry'],
    ['0@h:1,0@g:2', 'lists voter id 0 twice'],
  ])('refuses %s (%s), naming the setting and the expected form', (value, reason) => {
    const error = invalid(value);
    expect(error.configName).toBe('controller.quorum.voters');
    expect(error.message).toContain(reason);
    expect(error.message).toContain('{id}@{host}:{port} with distinct ids');
  });
});
