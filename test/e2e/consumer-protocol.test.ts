/**
 * The consumer group protocol (KIP-848) with real processes, read from the `--events` streams of CLI consumers as
 * a user would: three `--group-protocol consumer` consumers share 12 partitions while records keep arriving; one is
 * killed (its session runs out on the coordinator), then one is added. The survivors keep every partition they had
 * (no pause, nothing revoked when the dead member's partitions are handed out); when the newcomer joins, the moved
 * partitions change owner only after their previous owner revoked them. `groups describe` and `groups rebalances`
 * tell the same story from the coordinator's side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { doubleOwnership, eventLines, lastState, owned, ownershipIntervals, partitionKey, partitionsIn, type PartitionRef } from './support/group-events.js';
import { startCommand, type RunningCommand } from './support/processes.js';
import { startSteadyProduction, type SteadyProduction } from './support/steady-production.js';

// The consumer protocol's timers are the coordinator's (KIP-848): short ones so that the kill is noticed in seconds.
const coordinatorTimers = [
  'group.consumer.min.session.timeout.ms=6000',
  'group.consumer.session.timeout.ms=6000',
  'group.consumer.min.heartbeat.interval.ms=500',
  'group.consumer.heartbeat.interval.ms=500',
].flatMap((setting) => ['--override', setting]);

interface DescribedMember {
  memberId: string;
  memberEpoch: number;
  memberState: string;
}

describe('the consumer group protocol (KIP-848) with real processes', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-consumer-protocol');
  let cluster: RunningCluster;
  let production: SteadyProduction | undefined;
  const consumers = new Map<string, RunningCommand>();
  const killedAtMs = new Map<string, number>();

  const consume = (name: string) => {
    const command = startCommand(['consume', 'shared', '--group', 'g848', '--group-protocol', 'consumer', '--group-remote-assignor', 'uniform', '--json', '--events', '--bootstrap-server', cluster.bootstrap]);
    consumers.set(name, command);
    return command;
  };
  const stableOwning = (command: RunningCommand, count: number) => lastState(command)?.state === 'STABLE' && owned(command).size === count;
  /** Waits until every one of `members` is STABLE owning `count` partitions; a failure says where each one was. */
  const settle = async (members: RunningCommand[], count: number, what: string) => {
    try {
      await eventually(async () => (members.every((command) => stableOwning(command, count)) ? true : undefined), 60_000, what);
    } catch (error) {
      const where = [...consumers].map(([name, command]) => `${name}: ${lastState(command)?.state ?? 'no state'} owning ${owned(command).size} ${command.stderr().trim()}`);
      throw new Error(`${(error as Error).message}; ${where.join('; ')}`, { cause: error });
    }
  };
  const json = async <T>(args: string[]): Promise<T> => {
    const result = await kactor([...args, '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  };

  beforeAll(async () => {
    cluster = await startCluster({ dataDir: dataDir.path, extraArgs: coordinatorTimers });
    expect((await kactor(['topics', 'create', 'shared', '--partitions', '12', '--bootstrap-server', cluster.bootstrap])).code).toBe(0);
    production = startSteadyProduction(cluster.bootstrap, 'shared', 12);
  }, 120_000);

  afterAll(async () => {
    await production?.stop();
    for (const consumer of consumers.values()) await consumer.stop('SIGKILL');
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('a member killed and one added: the survivors keep their partitions, moved partitions change owner only after revocation', async () => {
    const [a, b, c] = [consume('a'), consume('b'), consume('c')];
    await settle([a, b, c], 4, 'three members STABLE with 4 partitions each');
    const described = await json<{ type: string; state: string; members: DescribedMember[] }>(['groups', 'describe', 'g848']);
    expect(described.type).toBe('consumer');
    expect(described.members).toHaveLength(3);

    // c dies without leaving; the coordinator fences it when its session (6 s) runs out.
    const killLine = new Map([a, b].map((command) => [command, eventLines(command).length]));
    const ownedBeforeKill = new Map([a, b].map((command) => [command, owned(command)]));
    killedAtMs.set('c', Date.now());
    await c.stop('SIGKILL');
    await settle([a, b], 6, 'the two survivors STABLE with 6 partitions each');
    for (const survivor of [a, b]) {
      // Nothing taken away: each only gained c's partitions.
      expect(partitionsIn(survivor, 'revoked', killLine.get(survivor))).toEqual([]);
      expect(partitionsIn(survivor, 'lost', killLine.get(survivor))).toEqual([]);
      expect([...(ownedBeforeKill.get(survivor) ?? [])].every((partition) => owned(survivor).has(partition))).toBe(true);
    }

    // d joins: each survivor gives up what d takes, and d gets a partition only after its owner revoked it.
    const joinLine = new Map([a, b].map((command) => [command, eventLines(command).length]));
    const d = consume('d');
    await settle([a, b, d], 4, 'three members STABLE with 4 partitions each after d joined');
    const revoked = [a, b].flatMap((command) => partitionsIn(command, 'revoked', joinLine.get(command)));
    expect(revoked.sort()).toEqual([...owned(d)].sort());
    const revocations = [a, b].flatMap((command) => eventLines(command).slice(joinLine.get(command)).filter((line) => line.type === 'revoked'));
    for (const line of eventLines(d).filter((event) => event.type === 'assigned')) {
      for (const tp of line.partitions as PartitionRef[]) {
        const revocation = revocations.find((event) => (event.partitions as PartitionRef[]).some((other) => partitionKey(other) === partitionKey(tp)));
        expect(revocation, `${partitionKey(tp)} was revoked before it moved`).toBeDefined();
        expect(revocation?.atMs as number).toBeLessThanOrEqual(line.atMs as number);
      }
    }
    const endMs = Date.now();
    expect(doubleOwnership(ownershipIntervals(consumers, (member) => killedAtMs.get(member) ?? endMs))).toEqual([]);

    // The coordinator's view: a consumer group, every member STABLE at the group's epoch, and its rebalances recorded.
    const group = await json<{ type: string; state: string; groupEpoch: number; targetAssignmentEpoch: number; members: DescribedMember[] }>(['groups', 'describe', 'g848']);
    expect(group).toMatchObject({ type: 'consumer', state: 'Stable' });
    expect(group.targetAssignmentEpoch).toBe(group.groupEpoch);
    expect(group.members.map((member) => member.memberState)).toEqual(['STABLE', 'STABLE', 'STABLE']);
    const verbose = await kactor(['groups', 'describe', 'g848', '--members', '--verbose', '--bootstrap-server', cluster.bootstrap]);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toContain('TARGET-ASSIGNMENT');
    const rebalances = await json<Array<{ trigger: string; protocol: string }>>(['groups', 'rebalances', 'g848']);
    expect(rebalances.every((record) => record.protocol === 'CONSUMER')).toBe(true);
    expect(rebalances.map((record) => record.trigger)).toEqual(expect.arrayContaining(['session-timeout', 'join']));
    const listed = await json<Array<{ group: string; type: string }>>(['groups', 'list']);
    expect(listed.find((entry) => entry.group === 'g848')?.type).toBe('consumer');
  });
});
