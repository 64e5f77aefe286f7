/**
 * The trace hash: SHA-256 over every event of a run, in order, each written in a canonical form (object
 * keys sorted, no whitespace, one event per line). Two runs of the same scenario, seed and variant must give
 * the same hash, byte for byte; any change in any event (a time, a partition, an order) gives another.
 * The hash is fed as the events come, so no trace is kept.
 *
 * A busy run writes over a million events, so the canonical form is built for speed: the sorted key order
 * of each object shape is worked out once and reused, and the text goes to the hash in chunks.
 */
import { createHash, type Hash } from 'node:crypto';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { TraceAnalysisError } from './trace-vocabulary.js';

/** Text gathered before it is handed to the hash: fewer, larger updates cost less than one per event. */
const HASH_CHUNK_CHARS = 64 * 1024;

interface Shape {
  /** The object's keys in sorted order. */
  readonly keys: readonly string[];
  /** `"key":` for each, with the comma before all but the first. */
  readonly prefixes: readonly string[];
}

/** Shapes by key count and first key: a few per event type. Each use checks the keys really match. */
const shapes = new Map<string, Shape[]>();

function shapeOf(value: Record<string, unknown>, keys: readonly string[]): Shape {
  const slot = `${keys.length}\u0000${keys[0] ?? ''}`;
  const candidates = shapes.get(slot) ?? [];
  for (const shape of candidates) if (shape.keys.every((key) => Object.hasOwn(value, key))) return shape;
  const sorted = [...keys].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  const shape = { keys: sorted, prefixes: sorted.map((key, index) => `${index === 0 ? '' : ','}${JSON.stringify(key)}:`) };
  shapes.set(slot, [...candidates, shape]);
  return shape;
}

/** JSON with object keys in sorted order at every depth (undefined values left out), so the same event always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) text += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const shape = shapeOf(record, keys);
  let text = '';
  for (let index = 0; index < shape.keys.length; index += 1) {
    const item = record[shape.keys[index]!];
    if (item === undefined) continue;
    const prefix = shape.prefixes[index]!;
    text += text === '' && index > 0 ? prefix.slice(1) : prefix;
    text += canonicalJson(item);
  }
  return `{${text}}`;
}

export class TraceHash implements TraceObserver {
  private readonly hash: Hash = createHash('sha256');
  private pending = '';
  private digest: string | undefined;

  observe(event: TraceEvent): void {
    if (this.digest !== undefined) throw new TraceAnalysisError('TraceHash: an event arrived after the hash was taken');
    this.pending += `${canonicalJson(event)}\n`;
    if (this.pending.length >= HASH_CHUNK_CHARS) {
      this.hash.update(this.pending);
      this.pending = '';
    }
  }

  /** The hex digest; the hash takes no event after this. */
  result(): string {
    if (this.digest === undefined) {
      this.hash.update(this.pending);
      this.pending = '';
      this.digest = this.hash.digest('hex');
    }
    return this.digest;
  }
}
