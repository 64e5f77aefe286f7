/**
 * The CLI fails like a tool should: bad flags and values are one-line errors, cluster errors carry Kafka's
 * error names, and start-up problems (a taken port, an unwritable data directory) are clear messages,
 * never stack traces. Also: a cluster with a shared secret refuses clients without it.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeBasePort, kactor, repositoryRoot, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';

const denyWrites = join(repositoryRoot, 'test/e2e/support/deny-writes.mjs');

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('kactor command-line errors', { timeout: 60_000 }, () => {
  it.each([
    [['topics', 'create', 'x', '--partitions', 'six'], /--partitions must be an integer/],
    [['topics', 'create', 'x'], /required option '--partitions <P>'/],
    [['produce', 'x', '--no-such-flag'], /unknown option '--no-such-flag'/],
    [['consume', 'x', '--offset', 'yesterday'], /--offset takes earliest, latest or an offset/],
    [['consume', 'x', '--isolation-level', 'committed'], /--isolation-level takes read_committed or read_uncommitted, got "committed"/],
    [['cluster', 'up', '--brokers', '0'], /--brokers must be at least 1/],
    [['cluster', 'up', '--brokers', '3', '--controllers', '4'], /^kactor cluster up: --controllers 4 is more than --brokers 3: every voter is one of the nodes\n$/],
    [['produce', 'x', '--producer-property', 'linger.ms'], /expected key=value/],
    [['produce', 'x', '--transaction-size', '2'], /^kactor produce: --transaction-size needs --transactional-id\n$/],
    [['produce', 'x', '--transactional-id', 't', '--transaction-size', '0'], /--transaction-size must be at least 1, got 0/],
    [['--log-level', 'loud', 'topics', 'list'], /--log-level takes one of fatal, error, warn, info, debug, trace, silent, got "loud"/],
    [['topics', 'list', '--log-level', 'verbose'], /--log-level takes one of .*got "verbose"/],
  ])('kactor %j is a clear usage error', async (args, message) => {
    const result = await kactor(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    noStackTrace(result.stderr);
  });

  it('--version prints the version of kactor (its package.json) and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(repositoryRoot, 'apps/cli/package.json'), 'utf8')) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const result = await kactor(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('an unknown KACTOR_LOG_LEVEL is a clear error, not a crash', async () => {
    const result = await kactor(['topics', 'list'], { env: { KACTOR_LOG_LEVEL: 'loud' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('kactor topics list: KACTOR_LOG_LEVEL takes one of fatal, error, warn, info, debug, trace, silent, got "loud"\n');
  });

  it('--help works on every command', async () => {
    for (const args of [['--help'], ['cluster', 'up', '--help'], ['broker', '--help'], ['topics', 'describe', '--help'], ['produce', '--help'], ['consume', '--help']]) {
      const result = await kactor(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/Usage: kactor/);
    }
  });

  it('an unknown producer property names the closest one', async () => {
    const result = await kactor(['produce', 'x', '--producer-property', 'linger.mss=5', '--bootstrap-server', 'ws://127.0.0.1:1']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/linger\.ms/);
    noStackTrace(result.stderr);
  });

  it('a taken port is a clear error from cluster up', async () => {
    const base = await freeBasePort(1);
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(base, '127.0.0.1', () => done()));
    const dataDir = temporaryDirectory('e2e-port');
    try {
      const result = await kactor(['cluster', 'up', '--brokers', '1', '--base-port', String(base), '--data-dir', dataDir.path]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(new RegExp(`port ${base} on 127.0.0.1 is already in use`));
      noStackTrace(result.stderr);
    } finally {
      blocker.close();
      dataDir.remove();
    }
  });

  it('an unwritable data directory is a clear error from cluster up', async () => {
    // Root writes anywhere: as root the file system's EACCES is injected (support/deny-writes.mjs) rather than
    // running the CLI as a second user, who may not even be able to read the checkout.
    const asRoot = process.getuid?.() === 0;
    const dataDir = temporaryDirectory('e2e-readonly');
    const locked = join(dataDir.path, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      const result = await kactor(['cluster', 'up', '--brokers', '1', '--base-port', String(await freeBasePort(1)), '--data-dir', join(locked, 'data')], {
        ...(asRoot ? { preload: [denyWrites], env: { KACTOR_TEST_DENY_WRITES: locked } } : {}),
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/cannot create the data directory .*: EACCES/);
      noStackTrace(result.stderr);
    } finally {
      chmodSync(locked, 0o700);
      dataDir.remove();
    }
  });

  it('a data directory that is a file is a clear error from cluster up', async () => {
    const dataDir = temporaryDirectory('e2e-file');
    const file = join(dataDir.path, 'not-a-directory');
    writeFileSync(file, 'x');
    try {
      const result = await kactor(['cluster', 'up', '--brokers', '1', '--base-port', String(await freeBasePort(1)), '--data-dir', file]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/cannot create the data directory .*(EEXIST|ENOTDIR)/);
      noStackTrace(result.stderr);
    } finally {
      dataDir.remove();
    }
  });
});

describe('a running cluster', { timeout: 120_000 }, () => {
  const dataDir = temporaryDirectory('e2e-errors');
  const secretFile = join(dataDir.path, 'secret');
  let cluster: RunningCluster;

  beforeAll(async () => {
    writeFileSync(secretFile, 'correct horse battery staple\n');
    cluster = await startCluster({ brokers: 2, dataDir: join(dataDir.path, 'data'), extraArgs: ['--secret-file', secretFile] });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('refuses a client without the shared secret, and serves one with it', async () => {
    // Three independent clients: they run side by side.
    const [refused, accepted, fromEnvironment] = await Promise.all([
      kactor(['topics', 'list', '--bootstrap-server', cluster.bootstrap]),
      kactor(['topics', 'list', '--json', '--bootstrap-server', cluster.bootstrap, '--secret-file', secretFile]),
      kactor(['topics', 'list', '--bootstrap-server', cluster.bootstrap], { env: { KACTOR_SECRET: 'correct horse battery staple' } }),
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/SASL_AUTHENTICATION_FAILED/);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout)).toEqual([]);
    expect(fromEnvironment.code, fromEnvironment.stderr).toBe(0);
  });

  it('answers a bad topic request with Kafka error names and a non-zero exit', async () => {
    const auth = ['--bootstrap-server', cluster.bootstrap, '--secret-file', secretFile];
    expect((await kactor(['topics', 'create', 'ok', '--partitions', '2', ...auth])).code).toBe(0);
    // Once 'ok' exists, the five bad requests change nothing and depend on nothing but it: they run side by side.
    const [exists, replicated, badName, shrink, missing] = await Promise.all([
      kactor(['topics', 'create', 'ok', '--partitions', '2', ...auth]),
      // Two brokers cannot hold three replicas.
      kactor(['topics', 'create', 'replicated', '--partitions', '1', '--replication-factor', '3', ...auth]),
      kactor(['topics', 'create', 'bad name', '--partitions', '1', ...auth]),
      kactor(['topics', 'alter', 'ok', '--partitions', '1', ...auth]),
      kactor(['topics', 'describe', 'missing', ...auth]),
    ]);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/TOPIC_ALREADY_EXISTS/);
    expect(replicated.stderr).toMatch(/INVALID_REPLICATION_FACTOR/);
    expect(badName.stderr).toMatch(/INVALID_TOPIC_EXCEPTION/);
    expect(shrink.stderr).toMatch(/INVALID_PARTITIONS/);
    expect(missing.stderr).toMatch(/UNKNOWN_TOPIC_OR_PARTITION/);
    for (const result of [exists, replicated, badName, shrink, missing]) {
      expect(result.code).toBe(1);
      noStackTrace(result.stderr);
    }
  });

  it('grows and deletes a topic', async () => {
    const auth = ['--bootstrap-server', cluster.bootstrap, '--secret-file', secretFile];
    expect((await kactor(['topics', 'create', 'grow', '--partitions', '1', ...auth])).code).toBe(0);
    expect((await kactor(['topics', 'alter', 'grow', '--partitions', '4', ...auth])).code).toBe(0);
    const described = await kactor(['topics', 'describe', 'grow', '--json', ...auth]);
    expect(JSON.parse(described.stdout).partitionCount).toBe(4);
    expect((await kactor(['topics', 'delete', 'grow', ...auth])).code).toBe(0);
    const listed = await kactor(['topics', 'list', '--json', ...auth]);
    expect(JSON.parse(listed.stdout)).not.toContain('grow');
  });
});
