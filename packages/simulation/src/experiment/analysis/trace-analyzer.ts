/**
 * A run's analysis from its trace, as a stream: every analyzer sees each event once, in order, and none
 * keeps the trace (the records checker keeps the acknowledged and processed ids, nothing more).
 * finish(wallMs) gives the metrics (every name in METRICS, 0 when nothing happened), the rebalances, the
 * per-second series, the violations (lost, duplicated, two-owners, epoch-regression,
 * committed-offset-regression, run-error) and the trace hash.
 *
 * Events after the run's window (RunWindow: run.ended or run.started + durationMs, whichever comes first;
 * the runner may add a drain phase after the scenario's duration to let the members catch up before the
 * checks) still count for the checkers (lost and duplicated records, owners, epochs, committed offsets),
 * the requests, the false evictions and the hash, but not for what is measured over the run's time: the
 * rebalances, the series, records_processed and the throughput stop at the window's end. The speed-up
 * counts the whole simulated run (run.started to run.ended, drain included), as the wall-clock time does.
 *
 * The `rebalances` metric counts the episodes that took a new generation or epoch (or never ended): a static
 * member restarted within its session leaves its partitions unowned for a while (an episode, measured with
 * the others) but the group does not rebalance, which is what static membership is for.
 */
import { METRIC_NAMES } from '../metrics.js';
import type { RebalanceMeasurement, SeriesPoint, Violation } from '../model.js';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { CommittedOffsetsAnalyzer } from './committed-offsets.js';
import { CountsAnalyzer } from './counts.js';
import { EpochsAnalyzer } from './epochs.js';
import { OwnershipAnalyzer } from './ownership.js';
import { RebalanceAnalyzer } from './rebalances.js';
import { RecordsAnalyzer } from './records.js';
import { RunWindow } from './run-window.js';
import { SeriesAnalyzer } from './series.js';
import { TraceHash } from './trace-hash.js';
import { TraceAnalysisError, ViolationList } from './trace-vocabulary.js';

export interface RunAnalysis {
  metrics: Record<string, number>;
  rebalances: RebalanceMeasurement[];
  series: SeriesPoint[];
  violations: Violation[];
  traceHash: string;
}

export class TraceAnalyzer implements TraceObserver {
  private readonly hash = new TraceHash();
  private readonly records = new RecordsAnalyzer();
  private readonly series: SeriesAnalyzer;
  private readonly ownership = new OwnershipAnalyzer();
  private readonly epochs = new EpochsAnalyzer();
  private readonly committedOffsets = new CommittedOffsetsAnalyzer();
  private readonly rebalances: RebalanceAnalyzer;
  private readonly counts: CountsAnalyzer;
  private readonly window: RunWindow;
  private readonly runErrors = new ViolationList('run-error');
  private runStartedMs = 0;
  private runEndedMs: number | undefined;
  private uniqueProcessedAtEnd = 0;
  private analysis: RunAnalysis | undefined;

  constructor(options: { durationMs: number }) {
    this.rebalances = new RebalanceAnalyzer(options);
    this.series = new SeriesAnalyzer(() => this.records.uniqueProcessed(), options.durationMs);
    this.counts = new CountsAnalyzer(options.durationMs);
    this.window = new RunWindow(options.durationMs);
  }

  observe(event: TraceEvent): void {
    if (this.analysis !== undefined) throw new TraceAnalysisError('TraceAnalyzer: an event arrived after finish()');
    // Before the records see it: the first event past the window is not part of the measured throughput.
    if (this.window.place(event) === 'closing') this.uniqueProcessedAtEnd = this.records.uniqueProcessed();
    this.hash.observe(event);
    // The series first: a second's lag is taken before the event that closes it reaches the records.
    this.series.observe(event);
    this.records.observe(event);
    this.ownership.observe(event);
    this.epochs.observe(event);
    this.committedOffsets.observe(event);
    this.rebalances.observe(event);
    this.counts.observe(event);
    if (event.type === 'run.started') this.runStartedMs = event.timeMs;
    else if (event.type === 'run.ended') this.runEndedMs ??= event.timeMs;
    else if (event.type === 'run.error') this.runErrors.add(`at ${event.timeMs} ms: ${event.error}`);
  }

  /** The analysis, once all events are in; `wallMs` is the wall-clock time the run took (for the speed-up). */
  finish(wallMs: number): RunAnalysis {
    if (this.analysis !== undefined) return this.analysis;
    if (this.window.close()) this.uniqueProcessedAtEnd = this.records.uniqueProcessed();
    const endMs = this.window.endMs;
    const measuredMs = endMs - this.window.startMs;
    const simulatedMs = (this.runEndedMs ?? endMs) - this.runStartedMs;
    const rebalances = this.rebalances.result();
    const series = this.series.result();
    const counts = this.counts.result();
    const durations = rebalances.map((rebalance) => (rebalance.stableMs ?? endMs) - rebalance.triggerMs);
    const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
    const measured: Record<string, number> = {
      rebalances: rebalances.filter((rebalance) => rebalance.generations > 0 || rebalance.stableMs === undefined).length,
      rebalance_time_ms: Math.max(0, ...durations),
      rebalance_time_total_ms: sum(durations),
      generations: sum(rebalances.map((rebalance) => rebalance.generations)),
      partitions_moved: sum(rebalances.map((rebalance) => rebalance.partitionsMoved)),
      paused_member_ms: sum(rebalances.map((rebalance) => rebalance.pausedMemberMs)),
      partially_paused_member_ms: sum(rebalances.map((rebalance) => rebalance.partiallyPausedMemberMs)),
      unowned_partition_ms: sum(rebalances.map((rebalance) => rebalance.unownedPartitionMs)),
      records_acked: counts.recordsAcked,
      records_processed: counts.recordsProcessed,
      records_processed_twice: this.records.processedTwiceCount(),
      throughput_records_per_s: measuredMs > 0 ? (this.uniqueProcessedAtEnd * 1_000) / measuredMs : 0,
      max_lag_records: this.series.maxLag(),
      requests: counts.requests,
      heartbeats: counts.heartbeats,
      false_evictions: counts.falseEvictions,
      detection_ms: this.rebalances.detectionMs(),
      speed_up: wallMs > 0 ? simulatedMs / wallMs : 0,
    };
    const metrics = Object.fromEntries(METRIC_NAMES.map((name) => [name, measured[name] ?? 0]));
    const violations = [
      ...this.records.result(),
      ...this.ownership.result(),
      ...this.epochs.result(),
      ...this.committedOffsets.result(),
      ...this.runErrors.result(),
    ];
    this.analysis = { metrics, rebalances, series, violations, traceHash: this.hash.result() };
    return this.analysis;
  }
}
