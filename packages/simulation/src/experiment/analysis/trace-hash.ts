/**
 * The trace hash: SHA-256 over every event of a run, in order, each written in a canonical form (object
 * keys sorted, no whitespace, one event per line). Two runs of the same scenario, seed and variant must give
 * the same hash, byte for byte; any change in any event (a time, a partition, an order) gives another.
 * The hash is fed as the events come, so no trace is kept.
 */
import { createHash, type Hash } from 'node:crypto';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { TraceAnalysisError } from './trace-vocabulary.js';

/** JSON with object keys in sorted order at every depth, so the same event always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export class TraceHash implements TraceObserver {
  private readonly hash: Hash = createHash('sha256');
  private digest: string | undefined;

  observe(event: TraceEvent): void {
    if (this.digest !== undefined) throw new TraceAnalysisError('TraceHash: an event arrived after the hash was taken');
    this.hash.update(canonicalJson(event));
    this.hash.update('\n');
  }

  /** The hex digest; the hash takes no event after this. */
  result(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
}
