/**
 * Reading a CLI consumer's `--events --json` stream: what it owned after each line, the windows in which
 * it owned each partition, and its own rebalance records. Kept apart from the tests so every rebalance
 * test reads the streams the same way.
 */
import type { RunningCommand } from './processes.js';

export interface PartitionRef {
  topic: string;
  partition: number;
}

export interface EventLine {
  type: 'state' | 'assigned' | 'revoked' | 'lost' | 'rebalance' | 'record';
  [field: string]: unknown;
}

export interface RebalanceLine {
  type: 'rebalance';
  trigger: string;
  protocol: 'EAGER' | 'COOPERATIVE';
  generations: number[];
  revoked: PartitionRef[];
  assigned: PartitionRef[];
  lost: PartitionRef[];
  pausedMs: number;
  partiallyPausedMs: number;
  completed: boolean;
}

export const partitionKey = (tp: PartitionRef) => `${tp.topic}-${tp.partition}`;

export function eventLines(command: RunningCommand): EventLine[] {
  return command.lines() as unknown as EventLine[];
}

/** The partitions the consumer owns after its events so far: assigned adds, revoked and lost remove. */
export function owned(command: RunningCommand, untilLine = Number.POSITIVE_INFINITY): Set<string> {
  const owns = new Set<string>();
  eventLines(command).forEach((line, index) => {
    if (index >= untilLine) return;
    const partitions = (line.partitions as PartitionRef[] | undefined) ?? [];
    if (line.type === 'assigned') for (const tp of partitions) owns.add(partitionKey(tp));
    if (line.type === 'revoked' || line.type === 'lost') for (const tp of partitions) owns.delete(partitionKey(tp));
  });
  return owns;
}

/** The consumer's state after its events so far, and the generation it reported with it. */
export function lastState(command: RunningCommand): { state: string; generation: number } | undefined {
  const states = eventLines(command).filter((line) => line.type === 'state');
  const last = states.at(-1);
  return last === undefined ? undefined : { state: last.to as string, generation: last.generation as number };
}

export function rebalanceLines(command: RunningCommand, fromLine = 0): RebalanceLine[] {
  return eventLines(command)
    .slice(fromLine)
    .filter((line) => line.type === 'rebalance') as unknown as RebalanceLine[];
}

export function partitionsIn(command: RunningCommand, type: 'assigned' | 'revoked' | 'lost', fromLine = 0): string[] {
  return eventLines(command)
    .slice(fromLine)
    .filter((line) => line.type === type)
    .flatMap((line) => (line.partitions as PartitionRef[]).map(partitionKey));
}

/** An interval [fromMs, toMs) in which a member owned a partition, from the `atMs` of its event lines. */
export interface Ownership {
  member: string;
  partition: string;
  fromMs: number;
  toMs: number;
}

/**
 * Every ownership interval of every member. A member still owning a partition at its end owns it until
 * then: `endMsOf(member)` is when it was killed (a killed process processes nothing more) or the end of
 * the test.
 */
export function ownershipIntervals(members: ReadonlyMap<string, RunningCommand>, endMsOf: (member: string) => number): Ownership[] {
  const intervals: Ownership[] = [];
  for (const [member, command] of members) {
    const endMs = endMsOf(member);
    const since = new Map<string, number>();
    for (const line of eventLines(command)) {
      if (line.type !== 'assigned' && line.type !== 'revoked' && line.type !== 'lost') continue;
      const atMs = line.atMs as number;
      for (const tp of line.partitions as PartitionRef[]) {
        const key = partitionKey(tp);
        if (line.type === 'assigned') {
          if (!since.has(key)) since.set(key, atMs);
        } else if (since.has(key)) {
          intervals.push({ member, partition: key, fromMs: since.get(key) as number, toMs: atMs });
          since.delete(key);
        }
      }
    }
    for (const [partition, fromMs] of since) intervals.push({ member, partition, fromMs, toMs: endMs });
  }
  return intervals;
}

/** Pairs of intervals in which two members owned the same partition at the same time. */
export function doubleOwnership(intervals: readonly Ownership[]): Array<[Ownership, Ownership]> {
  const byPartition = new Map<string, Ownership[]>();
  for (const interval of intervals) byPartition.set(interval.partition, [...(byPartition.get(interval.partition) ?? []), interval]);
  const overlaps: Array<[Ownership, Ownership]> = [];
  for (const list of byPartition.values()) {
    for (const [index, first] of list.entries()) {
      for (const second of list.slice(index + 1)) {
        if (first.member !== second.member && first.fromMs < second.toMs && second.fromMs < first.toMs) overlaps.push([first, second]);
      }
    }
  }
  return overlaps;
}
