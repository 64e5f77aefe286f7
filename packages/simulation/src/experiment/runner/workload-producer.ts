/**
 * One of the scenario's producers: a real Producer on its own host (`producer-<index>`), sending at
 * `recordsPerSecond` on the simulated clock. It wakes on its own clock when the next record is due, at most every
 * PRODUCER_TICK_MS, and sends the records due by then, so time always moves between sends and the rate holds
 * whatever the latency. Each record's value is a
 * unique id (`producer-<index>-<n>`, padded to `valueBytes`); every acknowledgement and failure is traced.
 */
import { Producer, resolveClientConfig } from '@kactor/client';
import type { ConfigValueInput } from '@kactor/protocol';
import type { ProducerSpec } from '../model.js';
import { errorName } from './error-name.js';
import { keyChooser, type KeyChooser } from './record-keys.js';
import { recordValue } from './record-value.js';
import type { ProcessRuntime, RunContext } from './run-context.js';

/** The shortest time between a producer's wake-ups: at most 100 per simulated second, whatever the rate. */
export const PRODUCER_TICK_MS = 10;

export class WorkloadProducer {
  readonly name: string;
  /** Its resolved enable.idempotence (Kafka's default unless acks, retries or in-flight requests rule it out). */
  readonly idempotent: boolean;
  private readonly runtime: ProcessRuntime;
  private readonly producer: Producer;
  private readonly keys: KeyChooser;
  private sent = 0;
  private stopped = false;
  /** Sends not yet acknowledged or failed. */
  private outstanding = 0;

  constructor(
    private readonly run: RunContext,
    private readonly spec: ProducerSpec,
    index: number,
    overrides: Record<string, ConfigValueInput>,
  ) {
    this.name = `producer-${index}`;
    this.runtime = run.runtime(this.name);
    const config = resolveClientConfig('producer', { ...spec.config, ...overrides, 'bootstrap.servers': run.cluster.bootstrapServers, 'client.id': this.name }, this.runtime);
    this.idempotent = config.config.enableIdempotence;
    this.producer = Producer.create(config.config, this.runtime);
    this.keys = keyChooser(spec.keys, run.randomFor(`${this.name}/keys`));
  }

  get topic(): string {
    return this.spec.topic;
  }

  /** Sends from spec.startMs to spec.stopMs (or `endMs`), relative to the workload's start. */
  start(endMs: number): void {
    const startMs = this.spec.startMs;
    const stopMs = Math.min(this.spec.stopMs ?? endMs, endMs);
    const tick = (): void => {
      if (this.stopped) return;
      const nowMs = this.run.trace.now();
      const dueMs = Math.min(nowMs, stopMs) - startMs;
      const due = Math.floor((dueMs * this.spec.recordsPerSecond) / 1_000);
      while (this.sent < due) this.send();
      if (nowMs >= stopMs || this.spec.recordsPerSecond <= 0) return;
      // The next record is due when the count reaches sent + 1; a slow producer sleeps until then.
      const nextDueMs = startMs + Math.ceil(((this.sent + 1) * 1_000) / this.spec.recordsPerSecond);
      this.runtime.clock.setTimeout(tick, Math.max(PRODUCER_TICK_MS, nextDueMs - nowMs));
    };
    this.runtime.clock.setTimeout(tick, Math.max(0, startMs - this.run.trace.now()));
  }

  /** No more sends; records already sent go on to their acknowledgement. */
  stop(): void {
    this.stopped = true;
  }

  get settled(): boolean {
    return this.outstanding === 0;
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.producer.close({ timeoutMs: 0 }).catch(() => undefined);
  }

  private send(): void {
    const n = this.sent;
    this.sent += 1;
    const id = `${this.name}-${n}`;
    this.outstanding += 1;
    this.producer.send({ topic: this.spec.topic, key: this.keys(n), value: recordValue(id, this.spec.valueBytes) }).then(
      (metadata) => {
        this.outstanding -= 1;
        this.run.trace.write({ type: 'record.acked', producer: this.name, partition: `${metadata.topic}-${metadata.partition}`, offset: metadata.offset, id });
      },
      (error: unknown) => {
        this.outstanding -= 1;
        this.run.trace.write({ type: 'record.failed', producer: this.name, partition: this.spec.topic, id, error: errorName(error) });
      },
    );
  }
}
