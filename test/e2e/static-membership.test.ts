/**
 * Static membership (KIP-345) with real CLI consumers, after Kafka's system tests:
 * - `test_static_consumer_bounce`: a static member restarted within session.timeout.ms comes back to the
 *   same partitions in the same generation; the live members see no rebalance and revoke nothing;
 * - stopped for longer than session.timeout.ms it is removed, with exactly one rebalance;
 * - `test_fencing_static_consumer`: a second process with the same group.instance.id fences the first
 *   (FENCED_INSTANCE_ID, fatal for it) and takes its place;
 * - `groups remove-member` removes a static member at once (Kafka's removeMembersFromConsumerGroup).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { eventLines, lastState, owned, partitionsIn, rebalanceLines } from './support/group-events.js';
import { startCommand, type RunningCommand } from './support/processes.js';

const sessionTimeoutMs = 10_000;

interface GroupRebalance {
  trigger: string;
  generations: number[];
  endMs: number | null;
}

describe('static members (real processes)', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-static');
  let cluster: RunningCluster;
  const consumers: RunningCommand[] = [];

  const consume = (instanceId: string) => {
    const command = startCommand([
      'consume', 'fleet', '--group', 'fleet-readers', '--group-instance-id', instanceId, '--assignor', 'range', '--json', '--events',
      '--session-timeout-ms', String(sessionTimeoutMs), '--heartbeat-interval-ms', '500', '--bootstrap-server', cluster.bootstrap,
    ]);
    consumers.push(command);
    return command;
  };
  const stableOwning = (command: RunningCommand, count: number) => lastState(command)?.state === 'stable' && owned(command).size === count;
  const rebalances = async (): Promise<GroupRebalance[]> => {
    const result = await kactor(['groups', 'rebalances', 'fleet-readers', '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as GroupRebalance[];
  };

  beforeAll(async () => {
    cluster = await startCluster({ dataDir: dataDir.path, extraArgs: ['--override', 'group.initial.rebalance.delay.ms=0'] });
    expect((await kactor(['topics', 'create', 'fleet', '--partitions', '6', '--bootstrap-server', cluster.bootstrap])).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop('SIGKILL');
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('bounce within the session timeout: same partitions, same generation, no rebalance; after it: exactly one', async () => {
    const first = consume('reader-1');
    const second = consume('reader-2');
    let third = consume('reader-3');
    await eventually(async () => ([first, second, third].every((command) => stableOwning(command, 2)) ? true : undefined), 60_000, 'three static members own 2 partitions each');
    // Formation may take more than one generation: wait until the coordinator has closed the record of the
    // generation all three are stable in.
    // The record list that shows it closed is the count to compare with later (one CLI process fewer than asking again).
    const { generation, recordedBefore } = await eventually(async () => {
      const states = [first, second, third].map(lastState);
      const current = states[0]?.generation;
      if (!states.every((state) => state?.state === 'stable' && state.generation === current)) return undefined;
      const list = await rebalances();
      return list.at(-1)?.generations.includes(current as number) === true ? { generation: current, recordedBefore: list.length } : undefined;
    }, 30_000, 'the formation recorded');
    const partitionsOfThird = owned(third);
    const linesBefore = new Map([first, second].map((command) => [command, eventLines(command).length]));

    // A clean stop of a static member sends no LeaveGroup: the coordinator keeps its place.
    expect(await third.stop('SIGINT')).toBe(0);
    third = consume('reader-3');
    await eventually(async () => (stableOwning(third, 2) ? true : undefined), 30_000, 'the restarted member is stable with 2 partitions');
    expect(lastState(third)?.generation).toBe(generation);
    expect(owned(third)).toEqual(partitionsOfThird);
    for (const live of [first, second]) {
      const since = eventLines(live).slice(linesBefore.get(live));
      expect(since.filter((line) => line.type !== 'record')).toEqual([]);
    }
    expect(await rebalances()).toHaveLength(recordedBefore);

    // Gone for longer than session.timeout.ms: removed by the coordinator, one rebalance hands its partitions over.
    await third.stop('SIGKILL');
    await eventually(async () => ([first, second].every((command) => stableOwning(command, 3)) ? true : undefined), sessionTimeoutMs + 30_000, 'the two live members take over its partitions');
    const recorded = await eventually(async () => {
      const list = await rebalances();
      return list.length > recordedBefore ? list : undefined;
    }, 10_000, 'the rebalance is recorded');
    expect(recorded).toHaveLength(recordedBefore + 1);
    expect(recorded.at(-1)?.trigger).toBe('session-timeout');
    for (const live of [first, second]) expect(rebalanceLines(live, linesBefore.get(live))).toHaveLength(1);
  });

  it('a duplicate group.instance.id fences the older process, which stops with FENCED_INSTANCE_ID', async () => {
    const original = consumers.find((command) => command.process.exitCode === null && command.process.signalCode === null && eventLines(command).length > 0 && owned(command).size === 3) as RunningCommand;
    expect(original).toBeDefined();
    const partitions = owned(original);
    const instanceId = consumers.indexOf(original) === 0 ? 'reader-1' : 'reader-2';
    const usurper = consume(instanceId);
    await eventually(async () => (original.process.exitCode !== null ? true : undefined), 30_000, 'the fenced process exits');
    expect(original.process.exitCode).not.toBe(0);
    expect(original.stderr()).toContain('FENCED_INSTANCE_ID');
    // One clear line, never a stack trace (issue 10, A6): the client's own logs of the fencing are details, not warnings.
    expect(original.stderr()).not.toMatch(/\n\s+at /);
    expect(original.stderr().split('\n').filter((line) => line.includes('FENCED_INSTANCE_ID'))).toEqual([
      expect.stringMatching(/^kactor consume: FENCED_INSTANCE_ID: /) as unknown,
    ]);
    await eventually(async () => (stableOwning(usurper, 3) ? true : undefined), 30_000, 'the new process owns the partitions');
    expect(owned(usurper)).toEqual(partitions);
    expect(partitionsIn(usurper, 'lost')).toEqual([]);
  });

  it('groups remove-member removes a static member at once and the group rebalances without waiting for its session', async () => {
    // Neither changes the group (reader-3 is unknown): the two CLI processes run side by side.
    const [recordedBefore, removed] = await Promise.all([
      rebalances().then((list) => list.length),
      kactor(['groups', 'remove-member', 'fleet-readers', '--instance-id', 'gone-long-ago,reader-3', '--bootstrap-server', cluster.bootstrap]),
    ]);
    // reader-3 left by session timeout earlier: the coordinator no longer knows it.
    expect(removed.code).not.toBe(0);
    expect(removed.stderr).toContain('UNKNOWN_MEMBER_ID');
    const live = consumers.filter((command) => command.process.exitCode === null && command.process.signalCode === null && owned(command).size > 0);
    expect(live).toHaveLength(2);
    // Stop one static member: it sends no LeaveGroup, so only the admin removal hands its partitions over now.
    const leaving = live[0] as RunningCommand;
    const staying = live[1] as RunningCommand;
    const instanceId = (leaving.process.spawnargs[leaving.process.spawnargs.indexOf('--group-instance-id') + 1]) as string;
    await leaving.stop('SIGINT');
    const result = await kactor(['groups', 'remove-member', 'fleet-readers', '--instance-id', instanceId, '--bootstrap-server', cluster.bootstrap]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Removed member with group.instance.id '${instanceId}'`);
    await eventually(async () => (stableOwning(staying, 6) ? true : undefined), sessionTimeoutMs, 'the remaining member owns all 6 partitions before the session timeout');
    const recorded = await eventually(async () => {
      const list = await rebalances();
      return list.length > recordedBefore ? list : undefined;
    }, 10_000, 'the removal is recorded');
    expect(recorded.at(-1)?.trigger).toBe('member-removed');
  });
});
