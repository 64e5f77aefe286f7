/**
 * What `cluster up` does with one control request, decided from what it knows (is the cluster stopping,
 * does broker N exist, is it running): refuse with a one-line reason or act. And the one line it answers once
 * it acted. Pure, so every refusal and message is tested without processes; the supervisor executes.
 */
import type { ControlCommand, ControlReply, ControlRequest } from './cluster-control.js';

/** What stops while the metadata quorum has no majority (KIP-595: no leader, so no metadata change is committed). */
const withoutMajority = 'nothing can be created, elected or fenced';
const counts = ['no', 'one', 'two', 'three', 'four', 'five'];

/** The voters a quorum of `voterCount` needs running to elect a leader and commit: a majority. */
export function quorumMajority(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/**
 * The line `cluster up` prints once running: which nodes vote in the metadata quorum and how many may be down at once
 * (any node may be the active controller; none is special).
 */
export function quorumNote(voterIds: readonly number[]): string {
  const voters = voterIds.join(',');
  if (voterIds.length === 1) return `metadata quorum: a single voter, node ${voters} (controller.quorum.voters): while node ${voters} is down ${withoutMajority}`;
  const tolerated = voterIds.length - quorumMajority(voterIds.length);
  if (tolerated === 0) return `metadata quorum: voters ${voters} (controller.quorum.voters); a majority needs all ${voterIds.length}: while any one is down ${withoutMajority}`;
  return `metadata quorum: voters ${voters} (controller.quorum.voters); any ${counts[tolerated] ?? String(tolerated)} of them can be killed, a new leader is elected`;
}

/** The metadata quorum as cluster up sees it once a control request was carried out. */
export interface QuorumView {
  voterIds: readonly number[];
  /** The voters whose process is running now. */
  runningVoterIds: readonly number[];
}

export interface ControlView {
  stopping: boolean;
  brokerCount: number;
  /** Broker N as cluster up knows it; undefined when it has none with that id. */
  broker: { running: boolean; pid: number | undefined } | undefined;
}

export type ControlDecision = { refuse: ControlReply & { ok: false } } | { act: ControlCommand };

export function decideControl(request: ControlRequest, view: ControlView): ControlDecision {
  const { brokerId } = request;
  const refuse = (error: string): ControlDecision => ({ refuse: { ok: false, error } });
  if (view.stopping) return refuse('the cluster is stopping');
  if (view.broker === undefined) return refuse(`no broker ${brokerId} in this cluster (its brokers are 0..${view.brokerCount - 1})`);
  if (request.command === 'start') return view.broker.running ? refuse(`broker ${brokerId} is already running (pid ${view.broker.pid})`) : { act: 'start' };
  if (!view.broker.running) return refuse(`broker ${brokerId} is not running (kactor cluster start ${brokerId} starts it)`);
  return { act: request.command };
}

/**
 * The line `cluster kill|stop|start` prints once cluster up did it; a voter going down that leaves the metadata quorum
 * without a majority says what that stops and how to bring it back.
 */
export function controlDoneMessage(command: ControlCommand, brokerId: number, pid: number | undefined, quorum?: QuorumView): string {
  if (command === 'start') return `broker ${brokerId} started (pid ${pid})`;
  const done = command === 'kill' ? `broker ${brokerId} killed (pid ${pid})` : `broker ${brokerId} stopped`;
  if (quorum === undefined || !quorum.voterIds.includes(brokerId)) return done;
  const needed = quorumMajority(quorum.voterIds.length);
  const running = quorum.runningVoterIds.filter((id) => quorum.voterIds.includes(id)).length;
  if (running >= needed) return done;
  return `${done}; the metadata quorum lost its majority (${running} of ${quorum.voterIds.length} voters running, ${needed} needed): ${withoutMajority} until kactor cluster start ${brokerId} brings one back`;
}
