/**
 * A CLI consumer's `--json --events` output as trace events: its lifecycle lines (state, assigned, revoked,
 * lost, rebalance, each stamped with `atMs`, the consumer's wall clock in epoch ms) and its record lines
 * (processed: printed, then committed as --commit says). Times become milliseconds since the run's start.
 *
 * Record lines carry no time of their own, so a record counts as processed when its line reaches the runner
 * (a pipe away, well under a millisecond on one machine). A member's events never go back in time: a line
 * stamped earlier than the member's previous event takes that event's time.
 */
import type { TraceEvent } from './simulation-adapter.js';

interface PartitionJson {
  topic: string;
  partition: number;
}

/** Trace events are built from these fields of the CLI's JSON lines (group-output.ts, record-output.ts). */
interface ConsumerLine {
  type?: unknown;
  atMs?: unknown;
  from?: unknown;
  to?: unknown;
  generation?: unknown;
  partitions?: unknown;
  trigger?: unknown;
  generations?: unknown;
  startMs?: unknown;
  endMs?: unknown;
  pausedMs?: unknown;
  partiallyPausedMs?: unknown;
  completed?: unknown;
  topic?: unknown;
  partition?: unknown;
  offset?: unknown;
  value?: unknown;
}

/** The record id a producer of the runner wrote: the value up to its first space (the rest pads it to size). */
export function recordIdOfValue(value: string): string {
  const space = value.indexOf(' ');
  return space < 0 ? value : value.slice(0, space);
}

const partitionName = (topic: string, partition: number) => `${topic}-${partition}`;
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

export class MemberEventStream {
  private generation = -1;
  /** The wall-clock time (epoch ms) of the member's latest event, so that its events never go back in time. */
  private lastWallMs = Number.NEGATIVE_INFINITY;

  /**
   * `originMs()`: the wall-clock time (epoch ms) trace times count from. While the groups form it is the setup's
   * start (the runner shifts those events once the workload starts); from then on the workload's start, before
   * which a late line's event has a negative time, as the setup's events do in the trace.
   */
  constructor(
    readonly group: string,
    readonly member: string,
    private readonly originMs: () => number,
  ) {}

  /** The trace event for one output line, or undefined for a line that is not one of the consumer's events. */
  convert(text: string, arrivedAtMs: number): TraceEvent | undefined {
    let line: ConsumerLine;
    try {
      line = JSON.parse(text) as ConsumerLine;
    } catch {
      return undefined;
    }
    if (line === null || typeof line !== 'object') return undefined;
    const timeMs = this.timeOf(typeof line.atMs === 'number' ? line.atMs : arrivedAtMs);
    const { group, member } = this;
    switch (line.type) {
      case 'state': {
        this.generation = numberOr(line.generation, this.generation);
        return { type: 'member.state', timeMs, group, member, from: String(line.from), to: String(line.to), generation: this.generation };
      }
      case 'assigned':
      case 'revoked':
      case 'lost': {
        this.generation = numberOr(line.generation, this.generation);
        const partitions = Array.isArray(line.partitions) ? (line.partitions as PartitionJson[]).map((tp) => partitionName(tp.topic, tp.partition)) : [];
        return { type: `member.${line.type}`, timeMs, group, member, partitions, generation: this.generation };
      }
      case 'rebalance':
        return {
          type: 'member.rebalance',
          timeMs,
          group,
          member,
          trigger: String(line.trigger),
          generations: Array.isArray(line.generations) ? (line.generations as number[]) : [],
          startMs: this.relative(numberOr(line.startMs, 0)),
          endMs: this.relative(numberOr(line.endMs, 0)),
          pausedMs: numberOr(line.pausedMs, 0),
          partiallyPausedMs: numberOr(line.partiallyPausedMs, 0),
          completed: line.completed === true,
        };
      case 'record':
        return {
          type: 'record.processed',
          timeMs,
          group,
          member,
          partition: partitionName(String(line.topic), numberOr(line.partition, -1)),
          offset: numberOr(line.offset, -1),
          id: recordIdOfValue(typeof line.value === 'string' ? line.value : ''),
          generation: this.generation,
        };
      default:
        return undefined;
    }
  }

  /** A wall-clock time in epoch ms as this member's next trace time. */
  private timeOf(wallMs: number): number {
    this.lastWallMs = Math.max(this.lastWallMs, wallMs);
    return this.relative(this.lastWallMs);
  }

  private relative(wallMs: number): number {
    return wallMs - this.originMs();
  }
}
