/**
 * A rebalance storm with real CLI consumers (librdkafka's 0113 "u" stress case): 8 cooperative-sticky
 * consumers on 2 topics x 16 partitions join one after another while others leave cleanly or are killed,
 * and rejoin. Merged in time from their `--events` streams (`atMs`), no partition is ever owned by two
 * live members at once, and when the storm is over every partition has exactly one owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { doubleOwnership, lastState, owned, ownershipIntervals } from './support/group-events.js';
import { startCommand, type RunningCommand } from './support/processes.js';

describe('rebalance storm (real processes)', { timeout: 300_000 }, () => {
  const dataDir = temporaryDirectory('e2e-storm');
  let cluster: RunningCluster;
  const members = new Map<string, RunningCommand>();
  const killedAtMs = new Map<string, number>();

  const start = (name: string) => {
    const command = startCommand([
      'consume', 'storm-a', 'storm-b', '--group', 'storm', '--assignor', 'cooperative-sticky', '--json', '--events',
      '--session-timeout-ms', '6000', '--heartbeat-interval-ms', '500', '--bootstrap-server', cluster.bootstrap,
    ]);
    members.set(name, command);
    return command;
  };
  const live = () => [...members].filter(([name]) => !killedAtMs.has(name));
  const stop = async (name: string, signal: 'SIGINT' | 'SIGKILL') => {
    const command = members.get(name) as RunningCommand;
    // A killed process processes nothing after this instant; a clean stop revokes in its own stream.
    if (signal === 'SIGKILL') killedAtMs.set(name, Date.now());
    await command.stop(signal);
    if (signal === 'SIGINT') killedAtMs.set(name, Date.now());
  };
  const settled = () => {
    const owners = live().map(([, command]) => command);
    if (!owners.every((command) => lastState(command)?.state === 'stable')) return false;
    const all = owners.flatMap((command) => [...owned(command)]);
    return all.length === 32 && new Set(all).size === 32;
  };

  beforeAll(async () => {
    cluster = await startCluster({ dataDir: dataDir.path, extraArgs: ['--override', 'group.initial.rebalance.delay.ms=0'] });
    for (const topic of ['storm-a', 'storm-b']) expect((await kactor(['topics', 'create', topic, '--partitions', '16', '--bootstrap-server', cluster.bootstrap])).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const command of members.values()) await command.stop('SIGKILL');
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('8 members joining, leaving and being killed never own a partition twice at once', async () => {
    // Members arrive one after another without waiting for the group to settle: rebalances overlap.
    for (let index = 0; index < 8; index += 1) {
      start(`m${index}`);
      await eventually(async () => (lastState(members.get(`m${index}`) as RunningCommand) !== undefined ? true : undefined), 30_000, `m${index} starts joining`);
    }
    await eventually(async () => (owned(members.get('m0') as RunningCommand).size > 0 ? true : undefined), 60_000, 'the group assigns partitions');
    await stop('m1', 'SIGINT');
    await stop('m2', 'SIGKILL');
    start('m8');
    await stop('m3', 'SIGINT');
    start('m9');
    await eventually(async () => (settled() ? true : undefined), 90_000, 'the group settles with every partition owned once');

    const endMs = Date.now();
    const intervals = ownershipIntervals(members, (name) => killedAtMs.get(name) ?? endMs);
    expect(doubleOwnership(intervals)).toEqual([]);
    // Seven live members share 32 partitions in balance: 4 or 5 each.
    const counts = live().map(([, command]) => owned(command).size).sort();
    expect(counts).toEqual([4, 4, 4, 5, 5, 5, 5]);
    // The storm really moved partitions around: more ownership intervals than partitions.
    expect(intervals.length).toBeGreaterThan(32);
  });
});
