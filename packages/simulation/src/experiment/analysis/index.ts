/** Streaming analysis of a run's trace: metrics, rebalances, series, checker violations and the trace hash. */
export { TraceAnalyzer, type RunAnalysis } from './trace-analyzer.js';
export { canonicalJson, TraceHash } from './trace-hash.js';
export { RecordsAnalyzer } from './records.js';
export { OwnershipAnalyzer } from './ownership.js';
export { EpochsAnalyzer } from './epochs.js';
export { CommittedOffsetsAnalyzer } from './committed-offsets.js';
export { RebalanceAnalyzer } from './rebalances.js';
export { SeriesAnalyzer, SERIES_BUCKET_MS } from './series.js';
export { CountsAnalyzer, HEARTBEAT_API_NAMES, type RunCounts } from './counts.js';
export { MAX_VIOLATIONS_LISTED, TraceAnalysisError } from './trace-vocabulary.js';
export { RunWindow } from './run-window.js';
