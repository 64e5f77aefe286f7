/** Hand-built traces for the analyzers' tests: one short function per event, times given explicitly. */
import type { TraceEvent, TraceObserver } from '../trace.js';

type Guarantee = 'at-least-once' | 'exactly-once';

export const runStarted = (
  partitions: Record<string, number>,
  groups: Record<string, { topics: string[]; guarantee?: Guarantee }>,
  timeMs = 0,
  producers: Record<string, { topic: string; idempotent: boolean }> = {},
): TraceEvent => ({
  type: 'run.started',
  timeMs,
  partitions,
  groups: Object.fromEntries(Object.entries(groups).map(([name, spec]) => [name, { topics: spec.topics, guarantee: spec.guarantee ?? 'at-least-once' }])),
  producers,
});

export const acked = (timeMs: number, partition: string, offset: number, id = `${partition}@${offset}`): TraceEvent => ({ type: 'record.acked', timeMs, producer: 'producer-0', partition, offset, id });

export const processed = (timeMs: number, member: string, partition: string, offset: number, options: { id?: string; generation?: number; group?: string } = {}): TraceEvent => ({
  type: 'record.processed',
  timeMs,
  group: options.group ?? 'app',
  member,
  partition,
  offset,
  id: options.id ?? `${partition}@${offset}`,
  generation: options.generation ?? 1,
});

export const committed = (timeMs: number, member: string, partition: string, offset: number, generation = 1, group = 'app'): TraceEvent => ({ type: 'offset.committed', timeMs, group, member, partition, offset, generation });

export const memberEvent = (type: 'member.started' | 'member.crashed' | 'member.closed' | 'member.resumed', timeMs: number, member: string, group = 'app'): TraceEvent => ({ type, timeMs, group, member });

export const paused = (timeMs: number, member: string, durationMs: number, group = 'app'): TraceEvent => ({ type: 'member.paused', timeMs, group, member, durationMs });

export const state = (timeMs: number, member: string, from: string, to: string, generation: number, group = 'app'): TraceEvent => ({ type: 'member.state', timeMs, group, member, from, to, generation });

export const ownership = (type: 'member.assigned' | 'member.revoked' | 'member.lost', timeMs: number, member: string, partitions: string[], generation = 1, group = 'app'): TraceEvent => ({
  type,
  timeMs,
  group,
  member,
  partitions,
  generation,
});

export const timeline = (timeMs: number, action: string, options: { group?: string; members?: string[] } = {}): TraceEvent => ({ type: 'timeline', timeMs, action, detail: action, ...options });

export const runEnded = (timeMs: number): TraceEvent => ({ type: 'run.ended', timeMs });

export function feed<T extends TraceObserver>(observer: T, events: readonly TraceEvent[]): T {
  for (const event of events) observer.observe(event);
  return observer;
}
