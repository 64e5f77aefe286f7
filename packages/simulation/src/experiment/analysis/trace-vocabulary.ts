/**
 * What the analyzers share about the trace's names: partitions are `<topic>-<partition>`, the two protocols'
 * stable state names, the "no generation" values, and a bounded list of violations.
 */
import type { Violation } from '../model.js';
import type { TraceEvent } from '../trace.js';

/** The topic of a `<topic>-<partition>` name (topic names may contain dashes, the partition number cannot). */
export function topicOf(partition: string): string {
  const dash = partition.lastIndexOf('-');
  return dash < 0 ? partition : partition.slice(0, dash);
}

export function partitionNames(topic: string, partitions: number): string[] {
  return Array.from({ length: partitions }, (_, index) => `${topic}-${index}`);
}

/** A classic member in a generation with its assignment (`stable`), or a KIP-848 member reconciled (`STABLE`). */
export function isStableState(state: string | undefined): boolean {
  return state === 'stable' || state === 'STABLE';
}

/** KIP-848's member states are Kafka's upper-case names; the classic machine's are lower case. */
export function isConsumerProtocolState(state: string): boolean {
  return state.length > 0 && state === state.toUpperCase();
}

/** Classic -1 (outside a generation), KIP-848 0 (before the first answer) and -1 (left): no generation at all. */
export function isGeneration(generation: number): boolean {
  return generation > 0;
}

/**
 * Violations a checker lists one by one; past this it adds one line with how many more it found, so a
 * run that loses 100,000 records does not carry 100,000 details.
 */
export const MAX_VIOLATIONS_LISTED = 20;

/** A checker's violations, listed up to MAX_VIOLATIONS_LISTED and counted beyond. */
export class ViolationList {
  private readonly listed: Violation[] = [];
  private unlisted = 0;

  constructor(private readonly checker: Violation['checker']) {}

  add(detail: string): void {
    if (this.listed.length < MAX_VIOLATIONS_LISTED) this.listed.push({ checker: this.checker, detail });
    else this.unlisted += 1;
  }

  get count(): number {
    return this.listed.length + this.unlisted;
  }

  result(): Violation[] {
    if (this.unlisted === 0) return [...this.listed];
    return [...this.listed, { checker: this.checker, detail: `and ${this.unlisted} more ${this.checker} violation(s)` }];
  }
}

/** A member's assigned, revoked or lost partitions (one event shape for the three). */
export type HoldingsEvent = Extract<TraceEvent, { type: 'member.assigned' | 'member.revoked' | 'member.lost' }>;

/** An analyzer used out of order (an event after its result was taken). */
export class TraceAnalysisError extends Error {
  override readonly name = 'TraceAnalysisError';
}
