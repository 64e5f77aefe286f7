/**
 * The experiment model (issue 15): what a scenario file describes, after validation and defaults, and what
 * one run (scenario x case x variant x seed) produces. Everything here is plain data, so a scenario can come
 * from YAML or JSON and a run's result can be written as JSON and read back by the report.
 *
 * Times are simulated milliseconds from the moment the workload starts (the cluster, topics and the first
 * members are set up before, outside the measured time).
 */

/** The three protocol variants a group can run (KIP-429 cooperative, KIP-848 `consumer`). */
export type ProtocolName = 'classic-eager' | 'classic-cooperative' | 'consumer';
export const PROTOCOL_NAMES: readonly ProtocolName[] = ['classic-eager', 'classic-cooperative', 'consumer'];

/** A value fixed in the scenario or drawn from the run's seed. */
export type Drawn = number | { uniform: [number, number] } | { exponential: { meanMs: number } } | { normal: { meanMs: number; stddevMs: number } };

/** A group's protocol setup; a variant applies one to every group that does not pin its own. */
export interface Variant {
  /** Unique within the scenario; the built-in protocol names need no definition. */
  name: string;
  protocol: ProtocolName;
  /** classic: `partition.assignment.strategy` (default range for eager, cooperative-sticky for cooperative); consumer: `group.remote.assignor` (default uniform). */
  assignor?: string;
  /** Consumer configs by Kafka name, applied to every member of the groups it runs. */
  consumerConfig?: Record<string, string | number | boolean>;
  /** Broker configs by Kafka name (e.g. `group.consumer.heartbeat.interval.ms`). */
  brokerConfig?: Record<string, string>;
}

/** A second axis beside the variants: named overrides of scenario fields by dotted path (`groups.app.members: 100`). */
export interface Case {
  name: string;
  set: Record<string, unknown>;
}

export interface ClusterSpec {
  brokers: number;
  /** KRaft voters (brokers 0..controllers-1); omitted: one controller on broker 0. */
  controllers?: number;
  /** One-way latency of every healthy link. */
  latencyMs: number;
  /** Broker configs by Kafka name. */
  config: Record<string, string>;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

export type CommitStrategy = 'auto' | 'sync' | 'async' | 'transactional';

export interface GroupSpec {
  /** `group.id`. */
  name: string;
  topics: string[];
  /** Members started before the workload (member-0 .. member-(n-1)). */
  members: number;
  /** Pins this group's variant (a built-in name or one of the scenario's variants); default: the run's variant. */
  variant?: string;
  /** `group.instance.id` = `<group>-<index>` for every member (KIP-345). */
  staticMembership: boolean;
  /** Consumer configs by Kafka name, under the variant's. */
  consumerConfig: Record<string, string | number | boolean>;
  /** Time each record takes to process, drawn per record; 0 by default. */
  processingMs: Drawn;
  commit: CommitStrategy;
  /** The application's `poll(timeout)`. */
  pollTimeoutMs: number;
}

export type KeyDistribution = { kind: 'none' } | { kind: 'uniform'; keys: number } | { kind: 'zipf'; keys: number; exponent: number } | { kind: 'sequential'; keys: number };

export interface ProducerSpec {
  topic: string;
  recordsPerSecond: number;
  keys: KeyDistribution;
  valueBytes: number;
  /** Producer configs by Kafka name (acks, enable.idempotence, linger.ms...). */
  config: Record<string, string | number | boolean>;
  startMs: number;
  /** Default: the end of the run. */
  stopMs?: number;
}

/** Which members an event acts on: by index, a count (the lowest live indexes, or drawn by seed), or all. */
export type MemberSelector = { member: number } | { count: number; drawn?: boolean } | { all: true };

export type TimelineAction =
  | ({ action: 'member.join'; group: string; count: number })
  | ({ action: 'member.leave'; group: string } & MemberSelector)
  | ({ action: 'member.crash'; group: string } & MemberSelector)
  /** A stop-the-world pause (GC, SIGSTOP): nothing of the member runs for `durationMs`. */
  | ({ action: 'member.pause'; group: string; durationMs: Drawn } & MemberSelector)
  /** The application stops calling poll() for `durationMs` (a long batch, a stuck call); heartbeats go on. */
  | ({ action: 'member.slowPoll'; group: string; durationMs: Drawn } & MemberSelector)
  /** Each member in turn: member i is closed (or crashed) `intervalMs` x i after the action and started again `downMs` after its stop. */
  | ({ action: 'member.rollingRestart'; group: string; intervalMs: number; downMs: number; clean: boolean })
  /** Members crashed or closed at once and started again after `downMs`. */
  | ({ action: 'member.restart'; group: string; downMs: number; clean: boolean } & MemberSelector)
  | { action: 'broker.kill'; broker: number | 'coordinator' | 'leader' }
  | { action: 'broker.restart'; broker: number }
  | { action: 'broker.stop'; broker: number }
  /**
   * No packet between the two sides (node names: `broker-0`, `app/member-3`, or a group name for all its members).
   * With `durationMs`, what is sent meanwhile arrives when it ends, in order, as TCP retransmits through a firewall's
   * drops; without it, until network.heal, it is lost.
   */
  | { action: 'network.partition'; between: [string[], string[]]; durationMs?: Drawn }
  | { action: 'network.heal' }
  | { action: 'link.slow'; between: [string[], string[]]; latencyMs: number; durationMs?: Drawn }
  | { action: 'link.lossy'; between: [string[], string[]]; lossRate: number; durationMs?: Drawn }
  | { action: 'topic.addPartitions'; topic: string; partitions: number };

export type TimelineEvent = TimelineAction & { at: Drawn };

export interface Scenario {
  name: string;
  description: string;
  /** Simulated time the workload and timeline run for. */
  durationMs: number;
  cluster: ClusterSpec;
  topics: TopicSpec[];
  groups: GroupSpec[];
  producers: ProducerSpec[];
  timeline: TimelineEvent[];
  /** Variants compared (built-in protocol names or defined here); `--variants` picks among them. */
  variants: Variant[];
  cases: Case[];
  /** Metric names reported in the tables (see METRICS); default all. */
  metrics: string[];
  /** Seeds run when `--seeds` is not given. */
  seeds: number;
  /** Dotted-path overrides (as a Case's `set`) for a small, fast run: CI's swarm and `--quick`. */
  quick: Record<string, unknown>;
}

/** One run's coordinates. */
export interface RunKey {
  scenario: string;
  case?: string;
  variant: string;
  seed: number;
}

/** One rebalance of one group, from trigger to a stable assignment. */
export interface RebalanceMeasurement {
  group: string;
  /** What started it: a timeline action, or what the members' rebalance records say. */
  trigger: string;
  triggerMs: number;
  /** Undefined when the group was not stable again before the run ended. */
  stableMs?: number;
  /** Generations (classic) or group epochs (consumer) it took. */
  generations: number;
  partitionsMoved: number;
  /** Summed over members: time owning none of what it owned at the trigger. */
  pausedMemberMs: number;
  /** Summed over members: time owning some but not all of it. */
  partiallyPausedMemberMs: number;
  /** Summed over partitions: time with no member owning it. */
  unownedPartitionMs: number;
}

/** A checker's finding: the run fails. */
export interface Violation {
  checker: 'lost' | 'duplicated' | 'two-owners' | 'epoch-regression' | 'committed-offset-regression' | 'run-error';
  detail: string;
}

export interface SeriesPoint {
  /** Start of a one-second bucket. */
  timeMs: number;
  produced: number;
  consumed: number;
  /** Records produced but not yet consumed at the bucket's end. */
  lag: number;
}

export interface RunResult extends RunKey {
  /** SHA-256 over the run's trace (every member event, commit and checker input, in order with its time). */
  traceHash: string;
  simulatedMs: number;
  wallMs: number;
  /** Scalar metrics of the run, by metric name (METRICS). */
  metrics: Record<string, number>;
  rebalances: RebalanceMeasurement[];
  series: SeriesPoint[];
  violations: Violation[];
}
