/**
 * The Raft replica statechart's test harness: an in-memory metadata log, a replica started on a simulated clock
 * whose emitted messages are recorded, and builders for the events its tests send. Shared by the
 * raft-replica*.test.ts files.
 */
import { SimulatedClock } from '@kactor/runtime';
import { createActor } from 'xstate';
import type { ElectionState } from './election-state.js';
import type { LeaderChangeMessage } from './leader-change-message.js';
import type { OffsetAndEpoch } from './log-view.js';
import type { QuorumConfig } from './quorum-state.js';
import { raftReplicaMachine } from './raft-replica.machine.js';
import type { RaftLeaderChanged, RaftLogPort, RaftReplicaEmitted, RaftReplicaProgress } from './raft-replica-ports.js';
import { config, fixedRandom } from './test-support.js';

// QuorumStateTest's values (test-support): election timeout 5000 ms, fetch timeout 10000 ms; jitter 0 unless told.
export const ELECTION_TIMEOUT_MS = 5000;
export const FETCH_TIMEOUT_MS = 10000;
export const CLUSTER_ID = 'raft-cluster';

/** An in-memory metadata log of (epoch, payload) entries, with the leader-epoch cache's endOffsetFor. */
export function memoryLog(entries: { epoch: number; payload: string }[] = []) {
  const appended: { message: LeaderChangeMessage; epoch: number }[] = [];
  const endOf = (): OffsetAndEpoch => ({ offset: entries.length, epoch: entries.at(-1)?.epoch ?? 0 });
  const log: RaftLogPort = {
    endOffset: endOf,
    logStartOffset: () => 0,
    endOffsetFor: (requestedEpoch, logEndOffset) => {
      // The largest epoch <= requested, and where the next epoch starts (or the log end).
      const epochs = entries.map((entry) => entry.epoch).filter((epoch) => epoch <= requestedEpoch);
      if (epochs.length === 0) return { epoch: -1, endOffset: -1 };
      const epoch = Math.max(...epochs);
      const next = entries.findIndex((entry) => entry.epoch > epoch);
      return { epoch, endOffset: next === -1 ? logEndOffset : next };
    },
    appendLeaderChangeAsLeader: (message, epoch) => {
      appended.push({ message, epoch });
      entries.push({ epoch, payload: `leader-change ${message.leaderId}` });
    },
    appendAsLeader: (records, epoch) => {
      const baseOffset = entries.length;
      entries.push(...(records as string[]).map((payload) => ({ epoch, payload })));
      return { baseOffset, lastOffset: entries.length - 1 };
    },
    read: (fetchOffset) => (fetchOffset < entries.length ? entries.slice(fetchOffset) : undefined),
    appendAsFollower: (records) => {
      entries.push(...(records as typeof entries));
    },
    truncateTo: (offset) => {
      entries.splice(offset);
    },
  };
  return { log, appended, entries };
}

export interface Started {
  clock: SimulatedClock;
  actor: ReturnType<typeof createActor<typeof raftReplicaMachine>>;
  /** Everything emitted except the announcements below. */
  sent: RaftReplicaEmitted[];
  leaderChanges: RaftLeaderChanged[];
  progress: RaftReplicaProgress[];
  persisted: ElectionState[];
  /** The state the chart was in when each persist happened (to show persist comes before adoption). */
  stateAtPersist: string[];
  appended: { message: LeaderChangeMessage; epoch: number }[];
  entries: { epoch: number; payload: string }[];
}

function quorumConfig(voters: readonly number[], localId: number | null | undefined): QuorumConfig {
  if (localId !== null) return config(voters, localId ?? 0);
  const { localId: _none, ...withoutId } = config(voters, 0);
  return withoutId;
}

export function startReplica(
  voters: readonly number[],
  options: {
    /** null: an observer without an id. */
    localId?: number | null;
    stored?: ElectionState;
    jitter?: number;
    clock?: SimulatedClock;
    entries?: { epoch: number; payload: string }[];
    /** Adds to the memory log's port (snapshot methods, a log start), e.g. `snapshotLog` in raft-replica.snapshot.test.ts. */
    extendLog?: (log: RaftLogPort, entries: { epoch: number; payload: string }[]) => RaftLogPort;
  } = {},
): Started {
  const clock = options.clock ?? new SimulatedClock();
  const sent: RaftReplicaEmitted[] = [];
  const persisted: ElectionState[] = [];
  const stateAtPersist: string[] = [];
  const leaderChanges: RaftLeaderChanged[] = [];
  const progress: RaftReplicaProgress[] = [];
  const memory = memoryLog(options.entries);
  const { appended, entries } = memory;
  const log = options.extendLog?.(memory.log, entries) ?? memory.log;
  let actorRef: Started['actor'] | undefined = undefined;
  const actor = createActor(raftReplicaMachine, {
    clock,
    input: {
      config: quorumConfig(voters, options.localId),
      clusterId: CLUSTER_ID,
      electionBackoffMaxMs: 1000,
      retryBackoffMs: 20,
      ...(options.stored === undefined ? {} : { stored: options.stored }),
      ports: {
        persist: (election) => {
          persisted.push(election);
          stateAtPersist.push(actorRef === undefined ? 'Starting' : topState(actorRef.getSnapshot().value));
        },
        random: fixedRandom(options.jitter ?? 0),
        now: () => clock.now(),
        log,
      },
    },
  });
  actorRef = actor;
  actor.on('*', (message) => {
    if (message.type === 'raft.leader-changed') leaderChanges.push(message);
    else if (message.type === 'raft.replica-progress') progress.push(message);
    else sent.push(message);
  });
  actor.start();
  return { clock, actor, sent, leaderChanges, progress, persisted, stateAtPersist, appended, entries };
}

/** The top-level state (Leader has a child, Serving). */
export function topState(value: string | Record<string, unknown>): string {
  return typeof value === 'string' ? value : Object.keys(value)[0]!;
}
export const stateOf = (started: Started) => topState(started.actor.getSnapshot().value);
export const quorumOf = (started: Started) => started.actor.getSnapshot().context.quorum!;

/** A granted Vote or PreVote answer from `from` in the replica's current epoch. */
export function grant(started: Started, from: number) {
  started.actor.send({ type: 'raft.vote.response', response: { from, errorCode: 'NONE', voteGranted: true, leaderEpoch: quorumOf(started).state.epoch, leaderId: -1 } });
}

export function fetchRequest(from: number, epoch: number, fetchOffset: number, lastFetchedEpoch: number) {
  return {
    type: 'raft.fetch.request' as const,
    from,
    request: { clusterId: CLUSTER_ID, topicName: '__cluster_metadata', partitionIndex: 0, replica: { id: from }, maxWaitMs: 500, currentLeaderEpoch: epoch, fetchOffset, lastFetchedEpoch },
  };
}

export function electedLeader(): Started {
  const replica = startReplica([0, 1, 2]);
  replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
  grant(replica, 1);
  grant(replica, 2);
  return replica;
}

