/**
 * `kactor topics elect-leaders`, Kafka's kafka-leader-election.sh: on a 1-broker cluster every live leader is
 * already the preferred one (ELECTION_NOT_NEEDED, exit 0), an unknown partition is a per-partition error
 * (exit 1), and a missing --election-type is a one-line usage error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';

describe('kactor topics elect-leaders', { timeout: 60_000 }, () => {
  const dataDir = temporaryDirectory('e2e-elect-leaders');
  let cluster: RunningCluster;

  beforeAll(async () => {
    cluster = await startCluster({ brokers: 1, dataDir: dataDir.path });
    const created = await kactor(['topics', 'create', 'orders', '--partitions', '2', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    dataDir.remove();
  });

  it('a preferred election finds valid leaders already elected and exits 0', async () => {
    // As in Kafka, the controller leaves ELECTION_NOT_NEEDED partitions out of an all-partitions answer: nothing to print.
    const all = await kactor(['topics', 'elect-leaders', '--election-type', 'preferred', '--all-topic-partitions', '--bootstrap-server', cluster.bootstrap]);
    expect(all, all.stderr).toMatchObject({ code: 0, stdout: '', stderr: '' });

    const named = await kactor(['topics', 'elect-leaders', '--election-type', 'preferred', '--topic', 'orders', '--bootstrap-server', cluster.bootstrap]);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toBe('Valid replica already elected for partitions orders-0, orders-1\n');

    const json = await kactor(['topics', 'elect-leaders', '--election-type', 'preferred', '--topic', 'orders', '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { topic: 'orders', partition: 0, result: 'not-needed' },
      { topic: 'orders', partition: 1, result: 'not-needed' },
    ]);
  });

  it('an unknown partition is an error line naming UNKNOWN_TOPIC_OR_PARTITION and exit 1', async () => {
    const result = await kactor(['topics', 'elect-leaders', '--election-type', 'preferred', '--topic', 'nosuch', '--partition', '0', '--bootstrap-server', cluster.bootstrap]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error completing leader election (PREFERRED) for partition: nosuch-0: UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('a missing --election-type is a one-line usage error', async () => {
    const result = await kactor(['topics', 'elect-leaders', '--all-topic-partitions', '--bootstrap-server', cluster.bootstrap]);
    expect(result.code).toBe(1);
    // commander's one error line, then its usual "(add --help for usage)" hint; no stack trace.
    expect(result.stderr.split('\n')[0]).toMatch(/required option '--election-type <type>' not specified/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
