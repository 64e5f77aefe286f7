/**
 * What `kactor cluster quorum` prints: the fields of Kafka's `kafka-metadata-quorum describe --status` (leader,
 * epoch, high watermark, the worst follower's lag, voters and observers), then a table in the shape of its
 * `describe --replication` (each voter's and observer's log end offset, lag, fetch times and role), in one command.
 * `--json` gives the contract's object, and with no leader `leaderId` -1. Pure functions, so every line is tested.
 */
import type { QuorumInfo, QuorumReplicaState } from '@kactor/client';
import { formatTable } from './group-output.js';

/** The JSON of `cluster quorum --json`: exactly these keys, each replica with its five fields. */
export interface QuorumJson {
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: QuorumReplicaJson[];
  observers: QuorumReplicaJson[];
}

export interface QuorumReplicaJson {
  replicaId: number;
  logEndOffset: number;
  lag: number;
  lastFetchTimestamp: number;
  lastCaughtUpTimestamp: number;
}

const replicaJson = (replica: QuorumReplicaState): QuorumReplicaJson => ({
  replicaId: replica.replicaId,
  logEndOffset: replica.logEndOffset,
  lag: replica.lag,
  lastFetchTimestamp: replica.lastFetchTimestamp,
  lastCaughtUpTimestamp: replica.lastCaughtUpTimestamp,
});

export function quorumJson(info: QuorumInfo): QuorumJson {
  return {
    leaderId: info.leaderId,
    leaderEpoch: info.leaderEpoch,
    highWatermark: info.highWatermark,
    voters: info.voters.map(replicaJson),
    observers: info.observers.map(replicaJson),
  };
}

/** The quorum as `--json` prints it when no node leads: leader -1, the latest epoch any node reported. */
export function noLeaderJson(leaderEpoch: number): QuorumJson {
  return { leaderId: -1, leaderEpoch, highWatermark: -1, voters: [], observers: [] };
}

/**
 * The follower (voter) furthest behind: how many offsets (MaxFollowerLag) and for how long, as the time between
 * the leader's and its last caught-up moments (MaxFollowerLagTimeMs; 0 when nobody lags, -1 when a time is unknown).
 */
export function maxFollowerLag(info: QuorumInfo): { lag: number; lagTimeMs: number } {
  const leader = info.voters.find((voter) => voter.replicaId === info.leaderId);
  const followers = info.voters.filter((voter) => voter.replicaId !== info.leaderId);
  const worst = followers.reduce<QuorumReplicaState | undefined>((most, voter) => (most === undefined || voter.lag > most.lag ? voter : most), undefined);
  if (worst === undefined || worst.lag === 0) return { lag: 0, lagTimeMs: 0 };
  if (leader === undefined || leader.lastCaughtUpTimestamp < 0 || worst.lastCaughtUpTimestamp < 0) return { lag: worst.lag, lagTimeMs: -1 };
  return { lag: worst.lag, lagTimeMs: Math.max(0, leader.lastCaughtUpTimestamp - worst.lastCaughtUpTimestamp) };
}

/** The `describe --status` part: one `Name: value` line per field, values aligned. */
export function quorumStatusText(info: QuorumInfo, clusterId: string | null): string {
  const lag = maxFollowerLag(info);
  const ids = (replicas: readonly QuorumReplicaState[]): string => `[${replicas.map((replica) => replica.replicaId).join(',')}]`;
  const fields: Array<[string, string]> = [
    ['ClusterId', clusterId ?? 'unknown'],
    ['LeaderId', String(info.leaderId)],
    ['LeaderEpoch', String(info.leaderEpoch)],
    ['HighWatermark', String(info.highWatermark)],
    ['MaxFollowerLag', String(lag.lag)],
    ['MaxFollowerLagTimeMs', String(lag.lagTimeMs)],
    ['CurrentVoters', ids(info.voters)],
    ['CurrentObservers', ids(info.observers)],
  ];
  const width = Math.max(...fields.map(([name]) => name.length)) + 3;
  return fields.map(([name, value]) => `${`${name}:`.padEnd(width)}${value}`).join('\n');
}

/** A leader-clock timestamp as printed: raw milliseconds, or (human-readable) how long before `nowMs`. */
function timestampText(timestampMs: number, humanReadableNowMs: number | undefined): string {
  if (humanReadableNowMs === undefined) return String(timestampMs);
  if (timestampMs < 0) return 'unknown';
  return `${Math.max(0, humanReadableNowMs - timestampMs)} ms ago`;
}

/**
 * The `describe --replication` part: the leader first, then the other voters and the observers, each with its role.
 * `humanReadableNowMs` (the local clock) turns the timestamps into "N ms ago".
 */
export function quorumReplicationText(info: QuorumInfo, humanReadableNowMs?: number): string {
  const row = (replica: QuorumReplicaState, status: string): string[] => [
    String(replica.replicaId),
    String(replica.logEndOffset),
    String(replica.lag),
    timestampText(replica.lastFetchTimestamp, humanReadableNowMs),
    timestampText(replica.lastCaughtUpTimestamp, humanReadableNowMs),
    status,
  ];
  const leader = info.voters.filter((voter) => voter.replicaId === info.leaderId);
  const followers = info.voters.filter((voter) => voter.replicaId !== info.leaderId);
  const rows = [...leader.map((voter) => row(voter, 'Leader')), ...followers.map((voter) => row(voter, 'Follower')), ...info.observers.map((observer) => row(observer, 'Observer'))];
  return formatTable(['NodeId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp', 'Status'], rows);
}

/** Both parts, a blank line between. */
export function quorumText(info: QuorumInfo, clusterId: string | null, humanReadableNowMs?: number): string {
  return `${quorumStatusText(info, clusterId)}\n\n${quorumReplicationText(info, humanReadableNowMs)}`;
}
