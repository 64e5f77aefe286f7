/**
 * A run's trace: everything that happened that the metrics and checkers look at, in order, each with its
 * simulated time. The runner appends events; the analyzers (metrics, checkers) and the trace hash consume
 * them as a stream, so a long run keeps no more than the analyzers need. The same scenario, seed and
 * variant give the same trace, byte for byte: its hash is the determinism meta-test's witness.
 *
 * Members are named `<group>/member-<index>` (their client.id and their host on the simulated network);
 * partitions `<topic>-<partition>`.
 */
export type TraceEvent =
  /**
   * Partition counts by topic, each group's subscribed topics and delivery guarantee, and each producer's topic and
   * whether it is idempotent (its resolved enable.idempotence: without it, a retried produce may write a record twice,
   * which Kafka allows).
   *
   * Times count from the start of the workload. A runner that lets the groups form before it (the setup phase: the
   * members join and settle, then the producers and the timeline start) writes run.started when the members start,
   * at a negative time, with `workloadStartMs` 0; the members' events up to then are the setup's. What is measured
   * over the run's time starts at `workloadStartMs` (at run.started without it); the checkers cover the setup too.
   */
  | {
      type: 'run.started';
      timeMs: number;
      workloadStartMs?: number;
      partitions: Record<string, number>;
      groups: Record<string, { topics: string[]; guarantee: 'at-least-once' | 'exactly-once' }>;
      producers: Record<string, { topic: string; idempotent: boolean }>;
    }
  | { type: 'topic.partitions'; timeMs: number; topic: string; partitions: number }
  | { type: 'run.ended'; timeMs: number }
  /** A timeline action began (its resolved form: members and brokers named, drawn values fixed). */
  | { type: 'timeline'; timeMs: number; action: string; detail: string; group?: string; members?: string[] }
  | { type: 'member.started'; timeMs: number; group: string; member: string }
  /** Killed (kill -9); `reason` when the runner killed it (a clean stop that did not finish in its grace period). */
  | { type: 'member.crashed'; timeMs: number; group: string; member: string; reason?: string }
  | { type: 'member.closed'; timeMs: number; group: string; member: string }
  | { type: 'member.paused'; timeMs: number; group: string; member: string; durationMs: number }
  | { type: 'member.resumed'; timeMs: number; group: string; member: string }
  /** The member's membership state changed (classic `stable`, consumer protocol `STABLE`...). */
  | { type: 'member.state'; timeMs: number; group: string; member: string; from: string; to: string; generation: number }
  | { type: 'member.assigned' | 'member.revoked' | 'member.lost'; timeMs: number; group: string; member: string; partitions: string[]; generation: number }
  /** A member finished a rebalance (its client's RebalanceRecord, summarised). */
  | { type: 'member.rebalance'; timeMs: number; group: string; member: string; trigger: string; generations: number[]; startMs: number; endMs: number; pausedMs: number; partiallyPausedMs: number; completed: boolean }
  /** An acknowledged produce; `id` is the record's unique value. */
  | { type: 'record.acked'; timeMs: number; producer: string; partition: string; offset: number; id: string }
  | { type: 'record.failed'; timeMs: number; producer: string; partition: string; id: string; error: string }
  /** A member finished processing a record (after its processing time). */
  | { type: 'record.processed'; timeMs: number; group: string; member: string; partition: string; offset: number; id: string; generation: number }
  /** An acknowledged commit: the next offset to read. */
  | { type: 'offset.committed'; timeMs: number; group: string; member: string; partition: string; offset: number; generation: number }
  | { type: 'offset.commitFailed'; timeMs: number; group: string; member: string; error: string }
  /** The leader epoch of a partition as one observer saw it (metadata, fetched batches). */
  | { type: 'epoch.observed'; timeMs: number; observer: string; key: string; epoch: number }
  | { type: 'broker.started' | 'broker.killed' | 'broker.stopped'; timeMs: number; broker: number }
  /** Requests a client sent so far, by API name, sampled at the end of the run. */
  | { type: 'client.requests'; timeMs: number; client: string; requests: Record<string, number> }
  | { type: 'run.error'; timeMs: number; error: string };

export type TraceEventType = TraceEvent['type'];

/** Something that reads a trace as it is written: a metric, a checker, the hash. */
export interface TraceObserver {
  observe(event: TraceEvent): void;
}
