/**
 * Kafka's RaftEventSimulationTest over kactor's Raft replica statechart: voters and observers on one simulated clock,
 * message delay, loss and duplication and the election timers' jitter all drawn from one seeded random, a writer
 * appending on whichever node leads, and the invariants (one leader per epoch, monotonic high watermark and epochs,
 * a majority holding the high watermark, identical committed prefixes) checked after every event. Each scenario ends
 * with liveness: with the faults healed, a leader is elected and commits new writes within a bound of simulated time,
 * every voter catches up, and the committed data is validated once more on every node.
 *
 * KACTOR_RAFT_SEEDS=<n> runs n seeds per scenario (default 12: 120 runs); KACTOR_RAFT_SEED=<seed> runs just that
 * seed. A failure names its scenario and seed and prints the command that runs it alone, with the last 40 events
 * (KACTOR_RAFT_TRACE=<n> for more).
 */
import { createSeededRandom, fork, type Random } from '@kactor/runtime';
import { RaftSimulation, type RaftSimulationOptions } from '@kactor/simulation';
import { describe, expect, it } from 'vitest';

const SEEDS_PER_SCENARIO = Number(process.env.KACTOR_RAFT_SEEDS ?? 12);
const ONLY_SEED = process.env.KACTOR_RAFT_SEED === undefined ? undefined : Number(process.env.KACTOR_RAFT_SEED);
const seeds = ONLY_SEED === undefined ? Array.from({ length: SEEDS_PER_SCENARIO }, (_, index) => index + 1) : [ONLY_SEED];

/** Simulated time within which the quorum must elect and commit once nothing stops it (many election timeouts). */
const LIVENESS_BOUND_MS = 30_000;
/** How many new writes must commit to count as progress. */
const PROGRESS_WRITES = 3;

interface Scenario {
  /** Kafka's test name where there is one. */
  readonly name: string;
  readonly voters: (random: Random) => number;
  readonly observers?: (random: Random) => number;
  run(sim: RaftSimulation, random: Random): void;
}

const between = (low: number, high: number) => (random: Random) => low + random.nextInt(high - low + 1);
const pick = <T>(random: Random, values: readonly T[]): T => values[random.nextInt(values.length)]!;

/** Some seeds run on a calm network, others lose, duplicate and delay messages. */
function networkFor(random: Random): RaftSimulationOptions['network'] {
  return {
    minDelayMs: 1,
    maxDelayMs: pick(random, [5, 20, 50]),
    dropProbability: pick(random, [0, 0.01, 0.05]),
    duplicateProbability: pick(random, [0, 0.01, 0.05]),
  };
}

function elect(sim: RaftSimulation): number {
  sim.runUntil(() => (sim.leader()?.highWatermark() ?? 0) > 0, LIVENESS_BOUND_MS, 'a leader is elected and commits its LeaderChangeMessage');
  return sim.leader()!.id;
}

/** The leader now (leadership may have moved since the last look): waits for one if there is none. */
function leaderNow(sim: RaftSimulation): number {
  sim.runUntil(() => sim.leader() !== undefined, LIVENESS_BOUND_MS, 'a leader is elected');
  return sim.leader()!.id;
}

function progress(sim: RaftSimulation, what: string): void {
  const mark = sim.writeCount;
  sim.runUntil(() => sim.committedWritesSince(mark) >= PROGRESS_WRITES, LIVENESS_BOUND_MS, what);
}

/** A leader of a later epoch than `oldEpoch` that has committed its first entry; `oldLeader` may win again unless it is excluded. */
function newLeaderAfter(sim: RaftSimulation, oldLeader: number | undefined, oldEpoch: number, what: string): number {
  sim.runUntil(() => {
    const leader = sim.leader();
    return leader !== undefined && leader.id !== oldLeader && leader.epoch()! > oldEpoch && (leader.highWatermark() ?? 0) > 0;
  }, LIVENESS_BOUND_MS, what);
  return sim.leader()!.id;
}

/** Heals every fault, restarts every killed node, and demands progress, a caught-up quorum and consistent data. */
function healAndConverge(sim: RaftSimulation): void {
  sim.network.healAll();
  for (const node of sim.nodes) if (!node.running) sim.start(node.id);
  progress(sim, 'a leader commits new writes after the faults heal');
  sim.stopWriter();
  // Voters and observers (which find the leader by asking the voters) all hold the whole committed log.
  sim.runUntil(
    () => {
      const highWatermark = sim.leader()?.highWatermark();
      return highWatermark !== undefined && sim.nodes.every((node) => node.highWatermark() === highWatermark && node.logEntries().length === highWatermark);
    },
    LIVENESS_BOUND_MS,
    'every voter and observer catches up with the leader',
  );
  sim.validate();
}

const scenarios: readonly Scenario[] = [
  {
    name: 'canElectInitialLeader',
    voters: between(1, 5),
    observers: between(0, 3),
    run: (sim) => {
      elect(sim);
      progress(sim, 'the first leader commits writes');
    },
  },
  {
    name: 'canElectNewLeaderAfterOldLeaderFailure (graceful resignation)',
    voters: between(3, 5),
    run: (sim) => {
      elect(sim);
      progress(sim, 'the first leader commits writes');
      const leader = leaderNow(sim);
      const epoch = sim.node(leader).epoch()!;
      sim.resign(leader);
      // The resigned replica keeps running, so it may win a later epoch itself (a lost EndQuorumEpoch, say).
      newLeaderAfter(sim, undefined, epoch, 'a leader of a later epoch after the leader resigns');
      progress(sim, 'the new leader commits writes');
    },
  },
  {
    name: 'canElectNewLeaderAfterOldLeaderFailure (graceful shutdown)',
    voters: between(3, 5),
    observers: between(0, 2),
    run: (sim) => {
      elect(sim);
      progress(sim, 'the first leader commits writes');
      const leader = leaderNow(sim);
      const epoch = sim.node(leader).epoch()!;
      sim.shutdown(leader);
      newLeaderAfter(sim, leader, epoch, 'another voter leads after the leader shuts down');
      progress(sim, 'the new leader commits writes');
    },
  },
  {
    name: 'canElectNewLeaderAfterOldLeaderFailure (hard kill)',
    voters: between(3, 5),
    observers: between(0, 2),
    run: (sim, random) => {
      elect(sim);
      sim.runFor(random.nextInt(2000));
      const leader = leaderNow(sim);
      const epoch = sim.node(leader).epoch()!;
      sim.kill(leader);
      newLeaderAfter(sim, leader, epoch, 'another voter leads after the leader is killed');
      progress(sim, 'the new leader commits writes');
      sim.start(leader);
    },
  },
  {
    name: 'canRecoverAfterAllNodesKilled',
    voters: between(1, 5),
    run: (sim, random) => {
      elect(sim);
      progress(sim, 'the first leader commits writes');
      sim.runFor(random.nextInt(1000));
      for (const id of sim.voterIds) sim.kill(id);
      sim.runFor(random.nextInt(3000));
      // A majority comes back first (in a random order), the rest later.
      const order = [...sim.voterIds].sort(() => random.next() - 0.5);
      const majority = Math.floor(sim.voterIds.length / 2) + 1;
      for (const id of order.slice(0, majority)) sim.start(id);
      progress(sim, 'a restarted majority commits writes');
    },
  },
  {
    name: 'canElectNewLeaderAfterOldLeaderPartitionedAway',
    voters: between(3, 5),
    observers: between(0, 1),
    run: (sim) => {
      elect(sim);
      progress(sim, 'the first leader commits writes');
      const leader = leaderNow(sim);
      const epoch = sim.node(leader).epoch()!;
      sim.network.isolate(leader, sim.ids);
      newLeaderAfter(sim, leader, epoch, 'the majority elects a leader without the isolated one');
      progress(sim, 'the majority commits writes');
    },
  },
  {
    name: 'canMakeProgressIfMajorityIsReachable',
    voters: () => 5,
    run: (sim) => {
      elect(sim);
      progress(sim, 'the first leader commits writes');
      sim.network.partition([
        [0, 1],
        [2, 3, 4],
      ]);
      sim.runUntil(() => [2, 3, 4].includes(sim.leader()?.id ?? -1) && (sim.leader()?.highWatermark() ?? 0) > 0 && sim.leader()!.epoch()! >= Math.max(...[0, 1].map((id) => sim.node(id).epoch()!)), LIVENESS_BOUND_MS, 'the side of 3 leads');
      progress(sim, 'the side of 3 commits writes');
    },
  },
  {
    name: 'canMakeProgressAfterBackToBackLeaderFailures',
    voters: between(3, 5),
    run: (sim, random) => {
      elect(sim);
      progress(sim, 'the first leader commits writes');
      const first = leaderNow(sim);
      const kill = random.nextInt(2) === 0;
      const fail = (id: number) => (kill ? sim.kill(id) : sim.network.isolate(id, sim.ids));
      const recover = (id: number) => (kill ? sim.start(id) : sim.network.healAll());
      const firstEpoch = sim.node(first).epoch()!;
      fail(first);
      const second = newLeaderAfter(sim, first, firstEpoch, 'a second leader after the first fails');
      const secondEpoch = sim.node(second).epoch()!;
      recover(first);
      fail(second);
      newLeaderAfter(sim, second, secondEpoch, 'a third leader after the second fails');
      progress(sim, 'the third leader commits writes');
    },
  },
  {
    name: 'canMakeProgressUnderAsymmetricPartitions',
    voters: between(3, 5),
    run: (sim, random) => {
      elect(sim);
      progress(sim, 'the first leader commits writes');
      const leader = leaderNow(sim);
      const others = sim.ids.filter((id) => id !== leader);
      const follower = pick(random, others);
      switch (random.nextInt(3)) {
        case 0:
          // The leader hears everyone, nobody hears it (Kafka's DropOutboundRequestsTo from the leader).
          for (const id of others) sim.network.blockOneWay(leader, id);
          newLeaderAfter(sim, leader, sim.node(leader).epoch()!, 'the others elect a leader they can hear');
          break;
        case 1:
          // Everyone hears the leader, it hears nobody: check-quorum makes it resign.
          for (const id of others) sim.network.blockOneWay(id, leader);
          newLeaderAfter(sim, leader, sim.node(leader).epoch()!, 'a leader that hears its voters');
          break;
        default:
          // One follower stops hearing the leader; the others still form a majority with it.
          sim.network.blockOneWay(leader, follower);
          break;
      }
      progress(sim, 'the quorum commits writes under a one-way partition');
    },
  },
  {
    name: 'canCatchUpThroughSnapshots (KIP-630: a node behind the log start reads the leader\'s snapshot)',
    voters: between(3, 5),
    observers: between(0, 2),
    run: (sim, random) => {
      const leader = elect(sim);
      progress(sim, 'the first leader commits writes');
      const behind = pick(random, sim.ids.filter((id) => id !== leader));
      const endWhenKilled = sim.node(behind).logEntries().length;
      sim.kill(behind);
      // Every node snapshots its committed entries and moves its log start up: the killed node's next offset goes.
      sim.startSnapshotter(300);
      sim.runUntil(() => sim.nodes.filter((node) => node.running).every((node) => (node.view().logStartOffset ?? 0) > endWhenKilled), LIVENESS_BOUND_MS, 'every running node cleaned its log past the killed node');
      sim.start(behind);
      // Sometimes it is killed again while reading the snapshot, and starts over.
      if (random.nextInt(2) === 0) {
        sim.runFor(random.nextInt(200));
        sim.kill(behind);
        sim.start(behind);
      }
      sim.runUntil(() => sim.node(behind).installedSnapshots > 0, LIVENESS_BOUND_MS, `node ${behind} installs a snapshot`);
      progress(sim, 'the quorum commits writes after the node caught up');
    },
  },
  {
    name: 'survivesRandomFaults (kills, restarts, shutdowns, resignations, isolation and one-way partitions, snapshots)',
    voters: between(1, 5),
    observers: between(0, 2),
    run: (sim, random) => {
      elect(sim);
      // Nodes snapshot and clean their logs meanwhile (KIP-630), so a node back from a kill may need a snapshot.
      sim.startSnapshotter(1000);
      // Twenty seconds of faults, one every 0-2 s, any node (a majority may be down for a while).
      const until = sim.clock.now() + 20_000;
      while (sim.clock.now() < until) {
        sim.runFor(random.nextInt(2000));
        const id = pick(random, sim.ids);
        const node = sim.node(id);
        switch (random.nextInt(7)) {
          case 0:
            if (node.running) sim.kill(id);
            break;
          case 1:
            if (node.running) sim.shutdown(id);
            break;
          case 2:
            for (const stopped of sim.nodes.filter((candidate) => !candidate.running)) sim.start(stopped.id);
            break;
          case 3:
            sim.network.isolate(id, sim.ids);
            break;
          case 4:
            sim.network.blockOneWay(id, pick(random, sim.ids));
            break;
          case 5:
            if (sim.leader() !== undefined) sim.resign(sim.leader()!.id);
            break;
          default:
            sim.network.healAll();
            break;
        }
      }
    },
  },
];

function runScenario(scenario: Scenario, seed: number): RaftSimulation {
  const random = fork(createSeededRandom(seed), scenario.name);
  const sim = new RaftSimulation({ seed, voters: scenario.voters(random), observers: scenario.observers?.(random) ?? 0, network: networkFor(random), writeIntervalMs: 200, traceLength: Number(process.env.KACTOR_RAFT_TRACE ?? 40) });
  const reproduce = `KACTOR_RAFT_SEED=${seed} npx vitest run test/simulation/raft-event-simulation.test.ts -t '${scenario.name}'`;
  try {
    sim.startAll();
    sim.startWriter();
    scenario.run(sim, random);
    healAndConverge(sim);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${scenario.name}, seed ${seed} (${sim.options.voters} voters, ${sim.options.observers} observers, network ${JSON.stringify(sim.options.network)}) failed; reproduce with:\n  ${reproduce}\n${message}`, { cause: error });
  }
  return sim;
}

describe('Raft event simulation (RaftEventSimulationTest)', () => {
  for (const scenario of scenarios) {
    describe(scenario.name, () => {
      for (const seed of seeds) {
        it(`seed ${seed}`, () => {
          const sim = runScenario(scenario, seed);
          expect(sim.committedWritesSince(0)).toBeGreaterThanOrEqual(PROGRESS_WRITES);
          expect(sim.events).toBeGreaterThan(0);
        });
      }
    });
  }
});
