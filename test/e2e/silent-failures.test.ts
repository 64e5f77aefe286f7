/**
 * What used to fail in silence now says so (issue 10, A4 and A5), through the CLI on one real broker started with
 * auto.create.topics.enable=false: topic configs kactor does not enforce are refused with INVALID_CONFIG, describe
 * shows a topic's own configs, producing to a missing topic names it and max.block.ms, an unreachable bootstrap
 * server is reported while the client retries, and reads of partitions that do not exist, of a missing topic by a
 * group, or past the log end are an error or a clear warning rather than `0 messages`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeBasePort, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('silent waits and silent empty reads', { timeout: 120_000 }, () => {
  let cluster: RunningCluster;
  const dataDir = temporaryDirectory('e2e-silent');
  const client = () => ['--bootstrap-server', cluster.bootstrap];

  beforeAll(async () => {
    cluster = await startCluster({ brokers: 1, dataDir: dataDir.path, extraArgs: ['--override', 'auto.create.topics.enable=false'] });
    const created = await kactor(['topics', 'create', 'events', '--partitions', '2', '--config', 'segment.bytes=1048576', '--config', 'cleanup.policy=delete', ...client()]);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic events.\n' });
    expect((await kactor(['produce', 'events', '--partition', '0', ...client()], { input: 'a\nb\nc\n' })).code).toBe(0);
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    dataDir.remove();
  });

  it('topics create --config of a setting kactor does not enforce is refused with INVALID_CONFIG naming it, and creates nothing', async () => {
    const refusals = [
      ['retention.ms=60000', /INVALID_CONFIG: .*retention\.ms=60000 is not supported yet: kactor does not enforce retention yet/],
      ['cleanup.policy=compact', /INVALID_CONFIG: .*cleanup\.policy=compact is not supported yet: kactor does not compact yet/],
    ] as const;
    const results = await Promise.all(refusals.map(([config]) => kactor(['topics', 'create', 'refused', '--partitions', '1', '--config', config, ...client()])));
    for (const [index, [config, message]] of refusals.entries()) {
      const result = results[index]!;
      expect(result.code, config).toBe(1);
      expect(result.stderr.trim().split('\n'), config).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect((await kactor(['topics', 'list', ...client()])).stdout).not.toContain('refused');
  });

  it("topics describe shows the topic's own configs, as Kafka's tool does, and a configs object in --json", async () => {
    const [text, json] = await Promise.all([kactor(['topics', 'describe', 'events', ...client()]), kactor(['topics', 'describe', 'events', '--json', ...client()])]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^Topic: events\tTopicId: \S+\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: segment\.bytes=1048576,cleanup\.policy=delete$/);
    expect(JSON.parse(json.stdout).configs).toEqual({ 'segment.bytes': '1048576', 'cleanup.policy': 'delete' });
  });

  it('topics create accepts unclean.leader.election.enable, and describe shows it', async () => {
    const created = await kactor(['topics', 'create', 'lossy', '--partitions', '1', '--config', 'unclean.leader.election.enable=true', ...client()]);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic lossy.\n' });
    const json = await kactor(['topics', 'describe', 'lossy', '--json', ...client()]);
    expect(JSON.parse(json.stdout).configs).toEqual({ 'unclean.leader.election.enable': 'true' });
  });

  it('producing to a missing topic fails after max.block.ms naming the topic and the setting, and warns while it waits', async () => {
    const result = await kactor(['produce', 'nosuch', '--producer-property', 'max.block.ms=2000', ...client()], { input: 'x\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Topic nosuch not present in metadata after 2000 ms (max.block.ms');
    expect(result.stderr).toContain('metadata for topic nosuch: UNKNOWN_TOPIC_OR_PARTITION');
    noStackTrace(result.stderr);
  });

  it('an unreachable bootstrap server is reported while the client retries, with its address and what failed', async () => {
    const dead = `ws://127.0.0.1:${await freeBasePort(1)}`;
    const result = await kactor(['produce', 'events', '--producer-property', 'max.block.ms=3000', '--bootstrap-server', dead], { input: 'x\n' });
    expect(result.code).toBe(1);
    const warnings = result.stderr.split('\n').filter((line) => line.includes(`connection to ${dead} failed (`) && line.includes('); retrying'));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(4);
    expect(result.stderr).toMatch(/connection refused/i);
  });

  it('consume --partition of a partition that does not exist is UNKNOWN_TOPIC_OR_PARTITION, exit 1', async () => {
    const result = await kactor(['consume', 'events', '--partition', '99', '--timeout-ms', '1000', ...client()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('kactor consume: UNKNOWN_TOPIC_OR_PARTITION: partition 99 of topic events does not exist (it has 2 partitions)\n');
  });

  it('consume of a missing topic without a group is UNKNOWN_TOPIC_OR_PARTITION, exit 1', async () => {
    const result = await kactor(['consume', 'nosuch', '--timeout-ms', '1000', ...client()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kactor consume: UNKNOWN_TOPIC_OR_PARTITION: .*nosuch/);
  });

  it("a group subscribed to a missing topic waits for it, saying so (Kafka's {nosuch=UNKNOWN_TOPIC_OR_PARTITION} warning)", async () => {
    const result = await kactor(['consume', 'nosuch', '--group', 'g-missing', '--timeout-ms', '2000', ...client()]);
    expect(result.stderr).toContain('metadata for topic nosuch: UNKNOWN_TOPIC_OR_PARTITION (it does not exist; waiting for it to be created)');
  });

  it('consume --offset past the log end says the position was reset per auto.offset.reset', async () => {
    const result = await kactor(['consume', 'events', '--partition', '0', '--offset', '1000', '--timeout-ms', '2000', ...client()]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('fetch offset 1000 is out of range for events-0; resetting to latest (auto.offset.reset)');
  });
});
