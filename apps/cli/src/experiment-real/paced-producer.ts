/**
 * A scenario's producer in a real run: an in-process @kactor/client Producer on the real clock (not a
 * `kactor produce` child process: that command prints no per-record acknowledgement, and the checkers need
 * each acknowledged record's partition and offset). Records are sent at `recordsPerSecond` on the wall
 * clock, topped up every `tickMs` to the count due so far, from `startMs` to `stopMs` of the run.
 * Each record's value is its unique id (`p<producer>-<sequence>`), padded with spaces and dots to `valueBytes`.
 */
import { Producer, resolveClientConfig, systemClientRuntime } from '@kactor/client';
import { systemClock, type Random } from '@kactor/runtime';
import type { KeyDistribution, ProducerSpec, TraceEvent } from './simulation-adapter.js';

const tickMs = 10;

export interface PacedProducerOptions {
  index: number;
  spec: ProducerSpec;
  bootstrap: string;
  /** The run's start on the wall clock (epoch ms). */
  runStartMs: number;
  /** The end of the run in trace time, used when the spec has no stopMs. */
  durationMs: number;
  random: Random;
  emit: (event: TraceEvent) => void;
}

/** Whether a producer of `spec` is idempotent: its resolved enable.idempotence (run.started says so for the checkers). */
export function producerIsIdempotent(spec: ProducerSpec, bootstrap: string): boolean {
  const config = Object.fromEntries(Object.entries(spec.config).map(([name, value]) => [name, String(value)]));
  return resolveClientConfig('producer', { ...config, 'bootstrap.servers': bootstrap }, systemClientRuntime()).config.enableIdempotence;
}

export class PacedProducer {
  private readonly producer: Producer;
  private readonly name: string;
  private sent = 0;
  private stopped = false;
  private timer: ReturnType<typeof systemClock.setTimeout> | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly nextKey: () => string | undefined;

  constructor(private readonly options: PacedProducerOptions) {
    this.name = `producer-${options.index}`;
    const config = Object.fromEntries(Object.entries(options.spec.config).map(([name, value]) => [name, String(value)]));
    this.producer = Producer.create({ 'client.id': this.name, ...config, 'bootstrap.servers': options.bootstrap }, systemClientRuntime());
    this.nextKey = keyChooser(options.spec.keys, options.random);
  }

  start(): void {
    this.tick();
  }

  /** Stops sending and waits for every record sent to be acknowledged or failed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) systemClock.clearTimeout(this.timer);
    await Promise.all([...this.pending]);
    await this.producer.close().catch(() => undefined);
  }

  private tick(): void {
    if (this.stopped) return;
    const { spec, runStartMs, durationMs } = this.options;
    const nowMs = systemClock.now() - runStartMs;
    const stopMs = spec.stopMs ?? durationMs;
    const activeMs = Math.min(nowMs, stopMs) - spec.startMs;
    const due = activeMs <= 0 ? 0 : Math.floor((activeMs * spec.recordsPerSecond) / 1_000);
    while (this.sent < due) this.send();
    if (nowMs >= stopMs) return;
    this.timer = systemClock.setTimeout(() => this.tick(), tickMs);
  }

  private send(): void {
    const { spec, runStartMs, emit } = this.options;
    const id = `p${this.options.index}-${this.sent}`;
    this.sent += 1;
    const value = id.length + 1 < spec.valueBytes ? `${id} ${'.'.repeat(spec.valueBytes - id.length - 1)}` : id;
    const key = this.nextKey();
    const timeMs = () => Math.max(0, systemClock.now() - runStartMs);
    const acknowledged = this.producer.send({ topic: spec.topic, value, ...(key === undefined ? {} : { key }) }).then(
      (metadata) => emit({ type: 'record.acked', timeMs: timeMs(), producer: this.name, partition: `${metadata.topic}-${metadata.partition}`, offset: metadata.offset, id }),
      (error: unknown) => emit({ type: 'record.failed', timeMs: timeMs(), producer: this.name, partition: `${spec.topic}-?`, id, error: error instanceof Error ? error.name : String(error) }),
    );
    this.pending.add(acknowledged);
    void acknowledged.finally(() => this.pending.delete(acknowledged));
  }
}

/** Keys as the scenario's distribution draws them: none, uniform, Zipf (by inverse CDF) or in turn. */
export function keyChooser(distribution: KeyDistribution, random: Random): () => string | undefined {
  switch (distribution.kind) {
    case 'none':
      return () => undefined;
    case 'uniform':
      return () => `key-${random.nextInt(distribution.keys)}`;
    case 'sequential': {
      let next = 0;
      return () => `key-${next++ % distribution.keys}`;
    }
    case 'zipf': {
      const weights = Array.from({ length: distribution.keys }, (_, rank) => 1 / (rank + 1) ** distribution.exponent);
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      let running = 0;
      const cumulative = weights.map((weight) => (running += weight / total));
      return () => {
        const draw = random.next();
        const index = cumulative.findIndex((bound) => draw < bound);
        return `key-${index < 0 ? distribution.keys - 1 : index}`;
      };
    }
  }
}
