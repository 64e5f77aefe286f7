/**
 * A consumer's own record of its rebalances: for each one, from the moment the member leaves `stable`
 * (or starts joining) until it holds a new assignment with no second round pending, what started it,
 * the protocol, the generations it went through, the partitions it gave up, lost and got, and how long
 * it processed nothing (or only part of what it held before). The time is the injected clock's.
 *
 * This is what makes KIP-429's promise measurable on the member side: with EAGER rebalancing a member
 * pauses from the revocation until its new assignment is applied; with COOPERATIVE it keeps processing
 * what it keeps, so it only pauses when it holds nothing at all.
 */
import type { RebalanceProtocol } from '@kactor/assignors';
import type { TopicPartition } from '../../topic-partition.js';

/**
 * Rebalance records a consumer keeps, oldest dropped first. A member that rebalances every few
 * seconds for days must not grow without bound; 1,000 covers hours of a churning group, and the events
 * stream (`{ type: 'rebalance' }`) has every record for whoever wants them all.
 */
export const MAX_REBALANCE_RECORDS = 1_000;

/**
 * Why the rebalance started, in the coordinator-side record's vocabulary: `join` (the member joins),
 * `poll-timeout` (max.poll.interval.ms passed without poll()), `subscription-change`, `partition-change`
 * (a subscribed topic's partition count changed, seen by the leader), `session-timeout` (the
 * coordinator no longer knew the member: UNKNOWN_MEMBER_ID, usually its session expired), `rejoin`
 * (the coordinator asked for it: another member joined or left, a generation moved on, a second
 * cooperative round). `leave` belongs to the member that leaves; it never starts a record here.
 */
export type RebalanceTrigger = 'join' | 'leave' | 'session-timeout' | 'poll-timeout' | 'subscription-change' | 'partition-change' | 'rejoin';

export interface RebalanceRecord {
  readonly trigger: RebalanceTrigger;
  /** The reason sent in JoinGroup (KIP-800), in words. */
  readonly reason: string;
  readonly protocol: RebalanceProtocol;
  /** The generation the member held when it started (-1: none). */
  readonly fromGeneration: number;
  /** Every generation joined during the rebalance (two for a cooperative rebalance that moved partitions). */
  readonly generations: readonly number[];
  readonly startMs: number;
  readonly endMs: number;
  readonly revoked: readonly TopicPartition[];
  readonly assigned: readonly TopicPartition[];
  readonly lost: readonly TopicPartition[];
  /** Time with no partition held although the member held some at the start. */
  readonly pausedMs: number;
  /** Time holding some but not all of the partitions held at the start. */
  readonly partiallyPausedMs: number;
  /** False when the member left the group (unsubscribe, close, fatal error) before the rebalance ended. */
  readonly completed: boolean;
}

export interface RebalanceStart {
  readonly trigger: RebalanceTrigger;
  readonly reason: string;
  readonly protocol: RebalanceProtocol;
  readonly generation: number;
  readonly owned: readonly TopicPartition[];
}

const keyOf = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;
const copy = (partitions: readonly TopicPartition[]): TopicPartition[] => partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition }));

interface OpenRebalance {
  readonly start: RebalanceStart;
  readonly startMs: number;
  readonly startOwned: ReadonlySet<string>;
  held: Set<string>;
  lastChangeMs: number;
  pausedMs: number;
  partiallyPausedMs: number;
  readonly generations: number[];
  readonly revoked: TopicPartition[];
  readonly assigned: TopicPartition[];
  readonly lost: TopicPartition[];
}

/** Builds the records; the consumer tells it what happened, with the clock's time. */
export class RebalanceRecorder {
  private open: OpenRebalance | null = null;
  private readonly records: RebalanceRecord[] = [];

  constructor(private readonly maxRecords: number = MAX_REBALANCE_RECORDS) {}

  get inProgress(): boolean {
    return this.open !== null;
  }

  /** A rebalance starts; ignored while one is open (a second round belongs to the same rebalance). */
  start(nowMs: number, start: RebalanceStart): void {
    if (this.open !== null) return;
    const owned = new Set(start.owned.map(keyOf));
    this.open = { start, startMs: nowMs, startOwned: owned, held: new Set(owned), lastChangeMs: nowMs, pausedMs: 0, partiallyPausedMs: 0, generations: [], revoked: [], assigned: [], lost: [] };
  }

  joined(generation: number): void {
    if (this.open !== null && this.open.generations.at(-1) !== generation) this.open.generations.push(generation);
  }

  revoked(nowMs: number, partitions: readonly TopicPartition[]): void {
    this.change(nowMs, partitions, 'revoked');
  }

  lost(nowMs: number, partitions: readonly TopicPartition[]): void {
    this.change(nowMs, partitions, 'lost');
  }

  assigned(nowMs: number, partitions: readonly TopicPartition[]): void {
    this.change(nowMs, partitions, 'assigned');
  }

  /** Ends the open rebalance (if any) and returns its record. */
  finish(nowMs: number, completed: boolean): RebalanceRecord | null {
    const open = this.open;
    if (open === null) return null;
    this.account(open, nowMs);
    this.open = null;
    const record: RebalanceRecord = {
      trigger: open.start.trigger,
      reason: open.start.reason,
      protocol: open.start.protocol,
      fromGeneration: open.start.generation,
      generations: [...open.generations],
      startMs: open.startMs,
      endMs: nowMs,
      revoked: copy(open.revoked),
      assigned: copy(open.assigned),
      lost: copy(open.lost),
      pausedMs: open.pausedMs,
      partiallyPausedMs: open.partiallyPausedMs,
      completed,
    };
    this.records.push(record);
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);
    return record;
  }

  /** The kept records, oldest first, as copies. */
  all(): RebalanceRecord[] {
    return this.records.map((record) => ({ ...record, generations: [...record.generations], revoked: copy(record.revoked), assigned: copy(record.assigned), lost: copy(record.lost) }));
  }

  private change(nowMs: number, partitions: readonly TopicPartition[], kind: 'revoked' | 'lost' | 'assigned'): void {
    const open = this.open;
    if (open === null) return;
    this.account(open, nowMs);
    open[kind].push(...copy(partitions));
    for (const tp of partitions) {
      if (kind === 'assigned') open.held.add(keyOf(tp));
      else open.held.delete(keyOf(tp));
    }
  }

  /** Adds the time since the last change to the paused or partially paused totals. */
  private account(open: OpenRebalance, nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - open.lastChangeMs);
    open.lastChangeMs = nowMs;
    if (open.startOwned.size === 0) return;
    if (open.held.size === 0) open.pausedMs += elapsedMs;
    else if ([...open.startOwned].some((key) => !open.held.has(key))) open.partiallyPausedMs += elapsedMs;
  }
}
