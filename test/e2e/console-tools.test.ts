/**
 * The console tools a Kafka user reaches for (issue 10, A6 and A9), on one 2-broker cluster: Kafka's
 * formatter properties on consume, the line reader's parse.headers/parse.key on produce and the --json
 * input mode, headers and timestamps end to end; errors that name the right thing (a record too large
 * names its line, size and max.request.size; a session timeout names what the user set; a brand-new
 * partition logs no repair); `produce --transactional-id` cut by --transaction-size and interrupted (issue 13); and
 * `topics describe --unavailable-partitions` after a broker dies.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, jsonLines, kactor, repositoryRoot, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { untilPartitions } from './support/topic-watch.js';

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at /);

interface RecordLine {
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: Array<{ key: string; value: string | null }>;
}

describe('console tools', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-console');
  let cluster: RunningCluster;
  const run = (args: string[], input?: string) => kactor([...args, '--bootstrap-server', cluster.bootstrap], { ...(input === undefined ? {} : { input }), timeoutMs: 60_000 });
  const readAll = (topic: string, extra: string[]) => run(['consume', topic, '--partition', '0', '--offset', 'earliest', '--timeout-ms', '10000', ...extra]);

  beforeAll(async () => {
    // A dead broker is noticed after broker.session.timeout.ms: 5 s rather than Kafka's 9 s, as in replication-failover.test.ts.
    cluster = await startCluster({ brokers: 2, dataDir: dataDir.path, extraArgs: ['broker.session.timeout.ms=5000', 'broker.heartbeat.interval.ms=500'].flatMap((entry) => ['--override', entry]) });
    expect((await run(['topics', 'create', 'lines', '--partitions', '1'])).code).toBe(0);
    // Partitions on both brokers, so that killing broker 1 leaves some of them without a leader.
    expect((await run(['topics', 'create', 'spread', '--partitions', '4'])).code).toBe(0);
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    dataDir.remove();
  });

  it('a brand-new partition logs neither a recovery nor a rebuilt index', () => {
    expect(cluster.output().stderr).not.toMatch(/rebuilt a missing or inconsistent offset index|recovered the log \{"topic":"(lines|spread)"/);
  });

  it("headers, keys and timestamps go in through produce --property parse.headers/parse.key and --json, and out through consume --property print.* and --json", async () => {
    const lines = await run(['produce', 'lines', '--property', 'parse.headers=true', '--property', 'parse.key=true', '--property', 'null.marker=<NULL>'], 'h1:v1,h2:v2\tk1\tvalue one\n<NULL>\t<NULL>\tvalue two\n');
    expect(lines.code, lines.stderr).toBe(0);
    const json = ['{"key":"a","value":"third","headers":[{"key":"trace","value":"t-1"},{"key":"trace","value":null}],"timestamp":1234}', '{"value":"fourth","headers":{"x":"y"},"partition":0}'];
    const produced = await run(['produce', 'lines', '--json'], `${json.join('\n')}\n`);
    expect(produced.code, produced.stderr).toBe(0);

    const [printed, consumed] = await Promise.all([
      readAll('lines', ['--max-messages', '4', '--property', 'print.offset=true', '--property', 'print.headers=true', '--property', 'print.key=true', '--formatter-property', 'print.timestamp=true', '--property', 'key.separator= | ']),
      readAll('lines', ['--max-messages', '4', '--json']),
    ]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout.replace(/CreateTime:\d{13}/g, 'CreateTime:now')).toBe(
      [
        'CreateTime:now | Offset:0 | h1:v1,h2:v2 | k1 | value one',
        'CreateTime:now | Offset:1 | NO_HEADERS | null | value two',
        'CreateTime:1234 | Offset:2 | trace:t-1,trace:null | a | third',
        'CreateTime:now | Offset:3 | x:y | null | fourth',
        '',
      ].join('\n'),
    );
    expect(jsonLines<RecordLine>(consumed.stdout).map(({ offset, key, value, headers }) => ({ offset, key, value, headers }))).toEqual([
      { offset: 0, key: 'k1', value: 'value one', headers: [{ key: 'h1', value: 'v1' }, { key: 'h2', value: 'v2' }] },
      { offset: 1, key: null, value: 'value two', headers: [] },
      { offset: 2, key: 'a', value: 'third', headers: [{ key: 'trace', value: 't-1' }, { key: 'trace', value: null }] },
      { offset: 3, key: null, value: 'fourth', headers: [{ key: 'x', value: 'y' }] },
    ]);
    expect(jsonLines<RecordLine>(consumed.stdout)[2]?.timestamp).toBe(1_234);
  });

  it('a failed line is named: a record too large with its size and max.request.size, a line the reader cannot parse; the other lines are delivered', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const tooLarge = await run(['produce', 'lines', '--partition', '0'], `before\n${big}\nafter\n`);
    expect(tooLarge.code).toBe(1);
    expect(tooLarge.stderr).toMatch(/^kactor produce: line 2: record of \d+ bytes is larger than max\.request\.size 1048576 \(MESSAGE_TOO_LARGE\)$/m);
    expect(tooLarge.stderr).toMatch(/1 of 3 records failed: 1 × MESSAGE_TOO_LARGE/);
    noStackTrace(tooLarge.stderr);
    const unparsable = await run(['produce', 'lines', '--partition', '0', '--property', 'parse.key=true'], 'k\tgood\nno separator here\n');
    expect(unparsable.code).toBe(1);
    expect(unparsable.stderr).toMatch(/line 2 has no key separator "\\t": "no separator here"/);
    const consumed = await run(['consume', 'lines', '--partition', '0', '--offset', '4', '--max-messages', '3', '--timeout-ms', '10000']);
    expect(consumed.stdout).toBe('before\nafter\ngood\n');
  });

  it('produce --transactional-id commits every --transaction-size records; Ctrl-C aborts the open transaction; read_committed reads the committed ones', async () => {
    expect((await run(['topics', 'create', 'committed', '--partitions', '1'])).code).toBe(0);
    const produced = await run(['produce', 'committed', '--transactional-id', 'tx-cut', '--transaction-size', '2'], 'one\ntwo\nthree\nfour\nfive\n');
    expect(produced.code, produced.stderr).toBe(0);

    // Three lines with the input left open: the first two commit, the third opens a transaction that Ctrl-C aborts.
    const child = spawn(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'apps/cli/src/main.ts'), 'produce', 'committed', '--transactional-id', 'tx-interrupted', '--transaction-size', '2', '--bootstrap-server', cluster.bootstrap], {
      cwd: repositoryRoot,
      env: { ...process.env, KACTOR_LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stdin.write('six\nseven\neight\n');
    try {
      // Once a read_committed consumer has six and seven, their transaction committed and the next one (eight) is open.
      const committed = await readAll('committed', ['--isolation-level', 'read_committed', '--max-messages', '7', '--timeout-ms', '60000']);
      expect(committed.stdout).toBe('one\ntwo\nthree\nfour\nfive\nsix\nseven\n');
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    expect(stderr).toBe('kactor produce: interrupted: aborted the open transaction of lines 3-3; 2 records committed in 1 transactions\n');
    const state = async (transactionalId: string) => (JSON.parse((await run(['transactions', 'describe', '--transactional-id', transactionalId, '--json'])).stdout) as { transactionState: string }).transactionState;
    expect(await Promise.all([state('tx-interrupted'), state('tx-cut')])).toEqual(['CompleteAbort', 'CompleteCommit']);
  });

  it('--session-timeout-ms names what the user set; below the broker minimum, INVALID_SESSION_TIMEOUT names session.timeout.ms', async () => {
    const [belowHeartbeat, belowMinimum] = await Promise.all([
      run(['consume', 'lines', '--group', 'g', '--session-timeout-ms', '1000']),
      run(['consume', 'lines', '--group', 'g', '--session-timeout-ms', '1000', '--heartbeat-interval-ms', '500']),
    ]);
    expect(belowHeartbeat.code).toBe(1);
    expect(belowHeartbeat.stderr).toContain('session.timeout.ms 1000 must be greater than heartbeat.interval.ms 3000 (its default); lower heartbeat.interval.ms too');
    expect(belowMinimum.code).toBe(1);
    expect(belowMinimum.stderr.trim()).toBe(
      'kactor consume: INVALID_SESSION_TIMEOUT: session.timeout.ms 1000 is outside what the group coordinator allows: between its group.min.session.timeout.ms and group.max.session.timeout.ms (6000 and 1800000 by default)',
    );
  });

  it('topics describe --unavailable-partitions lists the partitions whose leader died; --under-replicated-partitions is accepted', async () => {
    const [before, described] = await Promise.all([run(['topics', 'describe', '--unavailable-partitions', '--under-replicated-partitions']), run(['topics', 'describe', 'spread', '--json'])]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toBe('');
    const spread = jsonLines<{ partitions: Array<{ partition: number; leader: number }> }>(described.stdout)[0]!;
    const ledByBroker1 = spread.partitions.filter((partition) => partition.leader === 1).map((partition) => partition.partition);
    expect(ledByBroker1.length).toBeGreaterThan(0);

    process.kill(cluster.brokerPid(1), 'SIGKILL');
    // Watched in-process rather than by a CLI process per look; then the CLI is asked, within a bounded wait still, as
    // the broker it asks may learn of the fencing a moment later.
    await untilPartitions(cluster.bootstrap, 'spread', (partitions) => partitions.some((partition) => partition.leader === -1), 60_000, 'the controller to fence broker 1');
    const unavailable = await eventually(
      async () => {
        const result = await run(['topics', 'describe', 'spread', '--unavailable-partitions', '--json']);
        return result.stdout === '' ? undefined : jsonLines<{ partitions: Array<{ partition: number; leader: number }> }>(result.stdout)[0];
      },
      60_000,
      'the partitions of broker 1 listed as unavailable',
    );
    expect(unavailable.partitions.map((partition) => partition.partition)).toEqual(ledByBroker1);
    const text = await run(['topics', 'describe', 'spread', '--unavailable-partitions']);
    expect(text.stdout.split('\n').filter((line) => line !== '')).toEqual(ledByBroker1.map((partition) => expect.stringMatching(new RegExp(`^\\tTopic: spread\\tPartition: ${partition}\\tLeader: (none|1)\\t`)) as unknown));
  });
});
