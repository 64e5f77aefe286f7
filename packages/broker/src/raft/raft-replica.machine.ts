/**
 * One KRaft replica of `__cluster_metadata` (Kafka's KafkaRaftClient around QuorumState; KIP-595, KIP-996) as a
 * statechart: the six states of Kafka's QuorumState, the timers (election timeout in [T, 2T), fetch timeout,
 * check-quorum, BeginQuorumEpoch resend, candidate backoff) and the messages a state sends. Every decision is the
 * pure core's (raft-replica-plan.ts asks it once per event); the chart routes to the state the core landed in,
 * persists the core's `persist` output through the port BEFORE adopting the new state or answering, and emits the
 * messages for the host to send. Timers are absolute deadlines in the core, so re-entering a state re-arms its timer
 * for whatever time is left.
 *
 * The leader holds a Fetch with nothing new up to its MaxWaitMs (Leader.Serving) and answers it when records arrive
 * or when its high watermark is above the one the fetcher reported (KIP-1166); it appends the controller's records
 * (`raft.append`). An observer asks random voters who leads (Unattached.Discovering, Follower.AskingVoters); a
 * Fetch that fails or goes unanswered (`raft.request.failed`) is retried after controller.quorum.retry.backoff.ms.
 * The host hears `raft.appended`, `raft.high-watermark` (commit), `raft.leader-changed` and `raft.replica-progress`.
 *
 * BeginQuorumEpoch goes to voters until they answer or fetch (every fetch.timeout / 2), EndQuorumEpoch from Resigned
 * until they answer (again after controller.quorum.retry.backoff.ms when one goes unanswered).
 *
 * `raft.shutdown` resigns a Leader (its EndQuorumEpoch goes out), emits `raft.shutdown-complete` and stops (ShutDown).
 *
 * A follower told by a Fetch answer that the log it asks for is gone (`SnapshotId`, KIP-630) reads that snapshot with
 * FetchSnapshot chunk by chunk (Follower.FetchingSnapshot), installs it in place of its whole log, tells the host
 * (`raft.snapshot-installed`) and fetches the log from the snapshot's end. A leader never installs one.
 *
 * Not yet here: Vote resends after an unanswered request.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import type { EpochStateName } from './epoch-state.js';
import { leaderChangeMessage } from './leader-change-message.js';
import { highWatermarkOfQuorum, isObserver, leaderIdOrSentinel } from './quorum-state.js';
import { advancedSnapshotFetch, applySnapshotChunk, namesSnapshotToFetch, snapshotChunkOf, startedSnapshotFetch } from './raft-replica-snapshot-fetch.js';
import { planFor, quorumOf, type RaftReplicaContext } from './raft-replica-plan.js';
import {
  answerFetches,
  answerFetchesBehindHighWatermark,
  isFetchUnanswered,
  beginQuorumEpochRequests,
  discoveryFetchOf,
  endQuorumEpochRequests,
  fetchRequestOf,
  fetchSnapshotRequestOf,
  currentSnapshotFetch,
  isFetchSnapshotUnanswered,
  isNewLeaderChange,
  leaderChangedOf,
  releasedFetchAnswers,
  voteRequests,
} from './raft-replica-messages.js';
import type { RaftReplicaEmitted, RaftReplicaEvent, RaftReplicaInput } from './raft-replica-ports.js';
import {
  fetchFailedStillFollowing,
  keepsStateAndEpoch,
  keepsStateWithoutEarlierTimer,
  withBeginQuorumEpochTimerReset,
  withCompletedFetch,
  withLeaderLogEnd,
} from './raft-replica-updates.js';
import {
  untilBeginQuorumEpochResend,
  untilCandidateBackoffEnds,
  untilEarliestHeldFetchExpires,
  untilElectionTimeout,
  untilNextTimer,
} from './raft-replica-timers.js';

const STATE_NAMES: readonly EpochStateName[] = ['Unattached', 'Prospective', 'Candidate', 'Leader', 'Follower', 'Resigned'];

/** Persist, then (a new leader) write the epoch's first record, then adopt, then answer: Kafka's order. */
function applyPlan<const Extra extends readonly string[]>(...extra: Extra) {
  return [
    'persistPlanned',
    'appendLeaderChangeMessage',
    'applyLogEffect',
    'adoptPlanned',
    'recordLeaderLogEnd',
    'completeFetch',
    'sendPlannedReplies',
    'releaseParkedFetchesUnlessLeader',
    ...extra,
    'answerFetchesBehindHighWatermark',
    'announceLeaderChange',
    'announceHighWatermark',
    'forgetAdoptedPlan',
  ] as const;
}
const APPLY_PLAN = applyPlan();
/** Staying in the same state: after a Fetch answer that made progress, the follower fetches again at once. */
const APPLY_PLAN_AND_FETCH_AGAIN = applyPlan('sendFetchAgain');

/** Events that may leave the state where it is: then only a changed timer re-enters it (to re-arm). */
function decisions() {
  return [
    { guard: 'staysWithoutEarlierTimer' as const, actions: APPLY_PLAN_AND_FETCH_AGAIN },
    ...STATE_NAMES.map((state) => ({ guard: { type: 'landsIn' as const, params: { state } }, target: `#raft-replica.${state}`, reenter: true, actions: APPLY_PLAN })),
  ];
}

/** A timer always re-enters the state the core lands in, so a timer that was not yet due is re-armed. */
function timerDecisions() {
  return STATE_NAMES.map((state) => ({ guard: { type: 'landsIn' as const, params: { state } }, target: `#raft-replica.${state}`, reenter: true, actions: APPLY_PLAN }));
}

const requestEvents = {
  'raft.vote.request': decisions(),
  'raft.vote.response': decisions(),
  'raft.begin-quorum-epoch.request': decisions(),
  'raft.end-quorum-epoch.request': decisions(),
  'raft.end-quorum-epoch.response': decisions(),
  'raft.fetch.request': decisions(),
  'raft.fetch.response': decisions(),
  'raft.fetch-snapshot.response': decisions(),
  'raft.fetch-snapshot.request': decisions(),
  'raft.begin-quorum-epoch.response': decisions(),
  'raft.resign': decisions(),
  'raft.append': { actions: 'rejectAppend' as const },
};

export const raftReplicaMachine = setup({
  types: {
    context: {} as RaftReplicaContext,
    input: {} as RaftReplicaInput,
    events: {} as RaftReplicaEvent,
    emitted: {} as RaftReplicaEmitted,
  },
  actions: {
    persistPlanned: ({ context, event }) => {
      const plan = planFor(context, event);
      if (plan.persist !== undefined) context.ports.persist(plan.persist);
    },
    appendLeaderChangeMessage: ({ context, event }) => {
      const next = planFor(context, event).quorum.state;
      const before = context.quorum?.state;
      if (next.name !== 'Leader' || (before?.name === 'Leader' && before.epoch === next.epoch)) return;
      context.ports.log.appendLeaderChangeAsLeader(leaderChangeMessage(next.leader), next.epoch);
    },
    adoptPlanned: assign(({ context, event }) => {
      const plan = planFor(context, event);
      return { quorum: plan.quorum, adopted: { event, plan } };
    }),
    forgetAdoptedPlan: assign({ adopted: undefined }),
    sendPlannedReplies: enqueueActions(({ context, event, enqueue }) => {
      for (const reply of planFor(context, event).replies) enqueue.emit(reply);
    }),
    sendPreVotes: enqueueActions(({ context, enqueue }) => voteRequests(context, true).forEach((request) => enqueue.emit(request))),
    sendVotes: enqueueActions(({ context, enqueue }) => voteRequests(context, false).forEach((request) => enqueue.emit(request))),
    sendBeginQuorumEpoch: enqueueActions(({ context, enqueue }) => beginQuorumEpochRequests(context).forEach((request) => enqueue.emit(request))),
    resetBeginQuorumEpochTimer: assign({ quorum: ({ context }) => withBeginQuorumEpochTimerReset(context) }),
    sendEndQuorumEpoch: enqueueActions(({ context, enqueue }) => endQuorumEpochRequests(context).forEach((request) => enqueue.emit(request))),
    sendFetch: enqueueActions(({ context, enqueue }) => {
      // A follower reading a snapshot resumes it (Fetching moves on to FetchingSnapshot) instead of fetching the log.
      if (currentSnapshotFetch(context) !== undefined) return;
      const fetch = fetchRequestOf(context);
      if (fetch !== undefined) enqueue.emit(fetch);
    }),
    /** Fetch from a random voter to learn who leads; remembers whom, so only that request's failure counts. */
    sendDiscoveryFetch: enqueueActions(({ context, enqueue }) => {
      const fetch = discoveryFetchOf(context);
      if (fetch !== undefined) enqueue.emit(fetch);
      enqueue.assign({ discoveryVoter: fetch?.to });
    }),
    parkFetch: assign({
      parkedFetches: ({ context, event }) => {
        const park = planFor(context, event).park;
        return park === undefined ? context.parkedFetches : [...context.parkedFetches, park];
      },
    }),
    answerExpiredFetches: enqueueActions(({ context, enqueue }) => {
      const nowMs = context.ports.now();
      answerFetches(context, (parked) => parked.deadlineMs <= nowMs, enqueue);
    }),
    answerHeldFetches: enqueueActions(({ context, enqueue }) => answerFetches(context, () => true, enqueue)),
    /** KIP-1166: a held Fetch is answered as soon as the leader's high watermark passes the one its fetcher reported. */
    answerFetchesBehindHighWatermark: enqueueActions(({ context, enqueue }) => answerFetchesBehindHighWatermark(context, enqueue)),
    appendAsLeader: enqueueActions(({ context, event, enqueue }) => {
      const quorum = quorumOf(context);
      if (event.type !== 'raft.append' || quorum.state.name !== 'Leader') return;
      const appended = context.ports.log.appendAsLeader(event.records, quorum.state.epoch);
      enqueue.emit({ type: 'raft.appended', epoch: quorum.state.epoch, ...appended });
    }),
    announceShutdownComplete: emit({ type: 'raft.shutdown-complete' }),
    rejectAppend: enqueueActions(({ context, enqueue }) => {
      const quorum = quorumOf(context);
      enqueue.emit({ type: 'raft.append-rejected', errorCode: 'NOT_LEADER_OR_FOLLOWER', leaderId: leaderIdOrSentinel(quorum), leaderEpoch: quorum.state.epoch });
    }),
    /** `raft.leader-changed` at start and whenever the epoch or its leader changes (the host's handleLeaderChange). */
    announceLeaderChange: enqueueActions(({ context, enqueue }) => {
      if (context.quorum === undefined) return;
      const change = leaderChangedOf(context.quorum);
      if (!isNewLeaderChange(context.announcedLeader, change)) return;
      enqueue.emit(change);
      enqueue.assign({ announcedLeader: change });
    }),
    announceHighWatermark: enqueueActions(({ context, enqueue }) => {
      const highWatermark = context.quorum === undefined ? undefined : highWatermarkOfQuorum(context.quorum);
      if (highWatermark === undefined || highWatermark <= (context.announcedHighWatermark ?? -1)) return;
      enqueue.emit({ type: 'raft.high-watermark', highWatermark });
      enqueue.assign({ announcedHighWatermark: highWatermark });
    }),
    /** A leader that steps down completes its held fetches with NOT_LEADER_OR_FOLLOWER (and who leads now, if known). */
    releaseParkedFetchesUnlessLeader: enqueueActions(({ context, enqueue }) => {
      const answers = releasedFetchAnswers(context);
      if (answers.length === 0) return;
      answers.forEach((answer) => enqueue.emit(answer));
      enqueue.assign({ parkedFetches: [] });
    }),
    sendFetchAgain: enqueueActions(({ context, event, enqueue }) => {
      const fetch = planFor(context, event).completedFetch === undefined ? undefined : fetchRequestOf(context);
      if (fetch !== undefined) enqueue.emit(fetch);
    }),
    applyLogEffect: ({ context, event }) => {
      const effect = planFor(context, event).logEffect;
      if (effect?.kind === 'truncate') context.ports.log.truncateTo(effect.offset);
      else if (effect?.kind === 'append') context.ports.log.appendAsFollower(effect.records);
      else if (effect?.kind === 'snapshot-chunk') applySnapshotChunk(context, effect);
    },
    /** The leader named a snapshot: remember it (with the leader and epoch that named it) and start writing it. */
    startSnapshotFetch: assign({ fetchingSnapshot: ({ context, event }) => startedSnapshotFetch(context, event) }),
    sendFetchSnapshot: enqueueActions(({ context, enqueue }) => {
      const request = fetchSnapshotRequestOf(context);
      if (request !== undefined) enqueue.emit(request);
    }),
    /** A chunk was written: the next one starts after it; the last one installed the snapshot, which the host hears. */
    advanceSnapshotFetch: enqueueActions(({ context, event, enqueue }) => {
      const { fetchingSnapshot, installed } = advancedSnapshotFetch(context, event);
      enqueue.assign({ fetchingSnapshot });
      if (installed !== undefined) enqueue.emit({ type: 'raft.snapshot-installed', snapshotId: installed });
    }),
    /** A failed or misfitting FetchSnapshot answer: the follower Fetches again and is told which snapshot to read. */
    forgetSnapshotFetch: assign({ fetchingSnapshot: ({ context, event }) => (planFor(context, event).abandonSnapshotFetch === true ? undefined : context.fetchingSnapshot) }),
    /** A successful Fetch answer: the fetch timer restarts and the high watermark moves to min(leader HW, LEO). */
    completeFetch: assign({ quorum: ({ context, event }) => withCompletedFetch(context, event) }),
    /** A new leader counts its own log end (its LeaderChangeMessage) towards the high watermark. */
    recordLeaderLogEnd: assign({ quorum: ({ context }) => withLeaderLogEnd(context) }),
  },
  guards: {
    isObserver: ({ context }) => isObserver(quorumOf(context).config),
    isLeader: ({ context }) => quorumOf(context).state.name === 'Leader',
    /** An answer that taught nothing (same state and epoch): ask again after the backoff. */
    learnsNothing: ({ context, event }) => keepsStateAndEpoch(context, event),
    /** The Fetch this state is waiting on (to its leader, or to the voter asked who leads) went unanswered. */
    fetchUnanswered: ({ context, event }, params: { to: 'leader' | 'asked voter' }) => isFetchUnanswered(context, event, params.to),
    endQuorumEpochUnanswered: ({ event }) => event.type === 'raft.request.failed' && event.api === 'endQuorumEpoch',
    /** An observer's leader did not answer its Fetch: it asks the other voters. */
    observersLeaderUnanswered: ({ context, event }) => isObserver(quorumOf(context).config) && isFetchUnanswered(context, event, 'leader'),
    fetchFailedStillFollowing: ({ context, event }) => fetchFailedStillFollowing(context, event),
    parksFetch: ({ context, event }) => planFor(context, event).park !== undefined,
    /** A Fetch answer naming a snapshot to read (SnapshotId), still following the same leader in the same epoch. */
    namesSnapshot: ({ context, event }) => namesSnapshotToFetch(context, event),
    /** A snapshot is being read from this follower's leader in its epoch (resumed after a backoff or a re-entry). */
    isFetchingSnapshot: ({ context }) => currentSnapshotFetch(context) !== undefined,
    /** The FetchSnapshot answer carries the last chunk: the snapshot is complete and replaces the log. */
    installsSnapshot: ({ context, event }) => snapshotChunkOf(context, event)?.install === true,
    /** The FetchSnapshot answer carries a chunk, more are to come. */
    continuesSnapshot: ({ context, event }) => snapshotChunkOf(context, event)?.install === false,
    fetchSnapshotUnanswered: ({ context, event }) => isFetchSnapshotUnanswered(context, event),
    landsIn: ({ context, event }, params: { state: EpochStateName }) => planFor(context, event).quorum.state.name === params.state,
    /**
     * Same state and epoch, and no timer due earlier than the armed one: no need to re-enter. A timer that fires
     * before the core's (later) deadline finds nothing due and re-enters, which re-arms it for the time left.
     */
    staysWithoutEarlierTimer: ({ context, event }) => keepsStateWithoutEarlierTimer(context, event),
  },
  delays: {
    /** controller.quorum.retry.backoff.ms after a failed or unanswered request. */
    retryBackoff: ({ context }) => context.retryBackoffMs,
    /** The earliest held Fetch's MaxWaitMs (followers ask for KafkaRaftClient.MAX_FETCH_WAIT_MS, 500 ms). */
    fetchMaxWait: ({ context }) => untilEarliestHeldFetchExpires(context),
    /** controller.quorum.election.timeout.ms, drawn in [T, 2T) by the core through the random port. */
    electionTimeout: ({ context }) => untilElectionTimeout(context),
    /** controller.quorum.fetch.timeout.ms since the last successful fetch (never for an observer). */
    fetchTimeout: ({ context }) => untilNextTimer(context),
    /** min(100 ms x random(2 << min(20, retries - 1)), controller.quorum.election.backoff.max.ms) after a lost election. */
    candidateBackoff: ({ context }) => untilCandidateBackoffEnds(context),
    /** 1.5 x controller.quorum.fetch.timeout.ms without fetches from a majority (never for the only voter). */
    checkQuorumTimeout: ({ context }) => untilNextTimer(context),
    /** controller.quorum.fetch.timeout.ms / 2 between BeginQuorumEpoch rounds to voters that have not acknowledged. */
    beginQuorumEpochResend: ({ context }) => untilBeginQuorumEpochResend(context),
  },
}).createMachine({
  id: 'raft-replica',
  context: ({ input }) => ({
    config: input.config,
    clusterId: input.clusterId,
    electionBackoffMaxMs: input.electionBackoffMaxMs,
    retryBackoffMs: input.retryBackoffMs,
    ...(input.stored === undefined ? {} : { stored: input.stored }),
    ports: input.ports,
    quorum: undefined,
    parkedFetches: [],
  }),
  initial: 'Starting',
  on: {
    // A leader resigns first (EndQuorumEpoch naming its successors goes out), then the replica stops.
    'raft.shutdown': [
      { guard: 'isLeader', target: '.ShutDown', actions: [...APPLY_PLAN, 'sendEndQuorumEpoch', 'announceShutdownComplete'] },
      { target: '.ShutDown', actions: 'announceShutdownComplete' },
    ],
  },
  states: {
    Starting: {
      description:
        'Reads quorum-state and the log end (QuorumState.initialize): a stored leader that is this replica starts Resigned, a vote for itself Candidate, a known leader Follower, else Unattached; the chosen state is persisted first.',
      always: timerDecisions(),
    },
    Unattached: {
      description: 'No leader known in this epoch (maybe voted in it). A voter waits out its election timeout, then pre-votes; an observer asks the voters who leads.',
      on: requestEvents,
      after: { electionTimeout: timerDecisions() },
      initial: 'Waiting',
      states: {
        Waiting: {
          description: 'A voter waits for its election timeout (or a leader to announce itself); an observer moves on to ask.',
          always: { guard: 'isObserver', target: 'Discovering' },
        },
        Discovering: {
          description: "An observer's Fetch to a random voter (Kafka's pollUnattachedAsObserver): an answer naming the leader makes it that leader's Follower.",
          entry: 'sendDiscoveryFetch',
          on: {
            'raft.fetch.response': { guard: 'learnsNothing', target: 'BackingOff', actions: APPLY_PLAN },
            'raft.request.failed': { guard: { type: 'fetchUnanswered', params: { to: 'asked voter' } }, target: 'BackingOff' },
          },
        },
        BackingOff: {
          description: 'No leader named, or no answer: waits controller.quorum.retry.backoff.ms, then asks a random voter again.',
          after: { retryBackoff: 'Discovering' },
        },
      },
    },
    Prospective: {
      description: 'KIP-996 pre-vote: asks the voters, without bumping the epoch, whether they would vote for it. A majority makes it Candidate; losing or timing out returns it to its leader or Unattached.',
      entry: 'sendPreVotes',
      on: requestEvents,
      after: { electionTimeout: timerDecisions() },
    },
    Candidate: {
      description: 'Voted for itself in a new epoch (persisted) and asks for votes. A majority makes it Leader; a lost election backs off, a timeout pre-votes again.',
      entry: 'sendVotes',
      on: requestEvents,
      after: { electionTimeout: timerDecisions(), candidateBackoff: timerDecisions() },
    },
    Leader: {
      description: 'Elected: wrote the epoch\'s LeaderChangeMessage, tells voters with BeginQuorumEpoch until they fetch, and resigns when no majority fetched within the check-quorum timeout.',
      // Each entry (election, or a re-arm) tells the voters that have not fetched yet and restarts the resend timer.
      entry: ['sendBeginQuorumEpoch', 'resetBeginQuorumEpochTimer'],
      on: requestEvents,
      after: {
        checkQuorumTimeout: timerDecisions(),
        beginQuorumEpochResend: { target: 'Leader', reenter: true },
      },
      initial: 'Serving',
      states: {
        Serving: {
          description: 'Answers Fetch at once when it has records (or an error, or a divergence); holds one with nothing new until its MaxWaitMs (the fetch purgatory).',
          // Holding a Fetch re-enters Serving only (not Leader), to re-arm the wait for the earliest one.
          on: {
            'raft.fetch.request': { guard: 'parksFetch', target: 'Serving', reenter: true, actions: applyPlan('parkFetch') },
            // New records complete every held Fetch at once (Kafka completes the purgatory when the log end moves).
            'raft.append': { target: 'Serving', reenter: true, actions: ['appendAsLeader', 'recordLeaderLogEnd', 'answerHeldFetches', 'announceHighWatermark'] },
          },
          after: { fetchMaxWait: { target: 'Serving', reenter: true, actions: ['answerExpiredFetches', 'announceHighWatermark'] } },
        },
      },
    },
    Follower: {
      description: 'Fetches from the known leader of this epoch; a voter that hears nothing within the fetch timeout pre-votes (an observer never does).',
      on: requestEvents,
      after: { fetchTimeout: timerDecisions() },
      initial: 'Fetching',
      states: {
        Fetching: {
          description: 'One Fetch in flight to the leader; a successful answer sends the next at once. An answer naming a snapshot (the log asked for is gone) moves to FetchingSnapshot.',
          entry: 'sendFetch',
          always: { guard: 'isFetchingSnapshot', target: 'FetchingSnapshot' },
          on: {
            'raft.fetch.response': [
              { guard: 'namesSnapshot', target: 'FetchingSnapshot', actions: applyPlan('startSnapshotFetch') },
              { guard: 'fetchFailedStillFollowing', target: 'BackingOff', actions: APPLY_PLAN },
            ],
            'raft.request.failed': [
              { guard: 'observersLeaderUnanswered', target: 'LeaderUnreachable' },
              { guard: { type: 'fetchUnanswered', params: { to: 'leader' } }, target: 'BackingOff' },
            ],
          },
        },
        FetchingSnapshot: {
          description:
            "KIP-630: reads the snapshot the leader named with FetchSnapshot, one chunk at a time from the position reached; the last chunk installs it in place of the whole log (raft.snapshot-installed), then it Fetches from the snapshot's end. A failed answer abandons it and Fetches again after the backoff; an unanswered one is resumed after it.",
          entry: 'sendFetchSnapshot',
          on: {
            'raft.fetch-snapshot.response': [
              { guard: 'installsSnapshot', target: 'Fetching', actions: applyPlan('advanceSnapshotFetch') },
              { guard: 'continuesSnapshot', target: 'FetchingSnapshot', reenter: true, actions: applyPlan('advanceSnapshotFetch') },
              { guard: 'fetchFailedStillFollowing', target: 'BackingOff', actions: applyPlan('forgetSnapshotFetch') },
            ],
            'raft.request.failed': { guard: 'fetchSnapshotUnanswered', target: 'BackingOff' },
          },
        },
        BackingOff: {
          description: 'The last Fetch (or FetchSnapshot) failed or went unanswered: waits controller.quorum.retry.backoff.ms before fetching again.',
          after: { retryBackoff: 'Fetching' },
        },
        LeaderUnreachable: {
          description: "An observer whose leader did not answer waits controller.quorum.retry.backoff.ms, then asks another voter (Kafka's pollFollowerAsObserver).",
          after: { retryBackoff: 'AskingVoters' },
        },
        AskingVoters: {
          description: 'An observer Fetches from a random other voter: an answer naming a new leader moves it there; otherwise it fetches from its leader again.',
          entry: 'sendDiscoveryFetch',
          on: {
            'raft.fetch.response': [
              { guard: 'fetchFailedStillFollowing', target: 'BackingOff', actions: APPLY_PLAN },
              { guard: 'staysWithoutEarlierTimer', target: 'Fetching', actions: APPLY_PLAN },
            ],
            'raft.request.failed': { guard: { type: 'fetchUnanswered', params: { to: 'asked voter' } }, target: 'LeaderUnreachable' },
          },
        },
      },
    },
    Resigned: {
      description: 'A leader that stepped down (shutdown, resign, check-quorum, or restarted as the stored leader): never votes again in its epoch, tells the voters with EndQuorumEpoch naming its successors, and moves to the next epoch on its election timeout.',
      on: requestEvents,
      after: { electionTimeout: timerDecisions() },
      initial: 'Announcing',
      states: {
        Announcing: {
          description: 'EndQuorumEpoch to every voter that has not answered yet, preferred successors most caught-up first.',
          entry: 'sendEndQuorumEpoch',
          on: { 'raft.request.failed': { guard: 'endQuorumEpochUnanswered', target: 'BackingOff' } },
        },
        BackingOff: {
          description: 'An EndQuorumEpoch went unanswered: waits controller.quorum.retry.backoff.ms, then sends again to the voters that have not answered.',
          after: { retryBackoff: 'Announcing' },
        },
      },
    },
    ShutDown: {
      description: 'Stopped (raft.shutdown): answers no request, sends nothing and starts no election; appends are refused.',
      on: { 'raft.shutdown': { actions: 'announceShutdownComplete' }, 'raft.append': { actions: 'rejectAppend' } },
    },
  },
});

