/**
 * A small experiment scenario for the runner's tests, as plain data (the scenario loader's output shape): three
 * brokers, one topic of six partitions, one group of three, one producer. The brokers' group timers are lowered
 * within Kafka's allowed ranges (through the brokers' own configs) so that a minute of simulated time holds several
 * rebalances; everything else is Kafka's defaults.
 */
import type { GroupSpec, Scenario, TimelineEvent } from '@kactor/simulation';

export const SMALL_BROKER_CONFIG: Record<string, string> = {
  'offsets.topic.num.partitions': '3',
  'offsets.topic.replication.factor': '3',
  'transaction.state.log.num.partitions': '3',
  'transaction.state.log.replication.factor': '3',
  'transaction.state.log.min.isr': '1',
  'group.initial.rebalance.delay.ms': '0',
  'group.consumer.min.session.timeout.ms': '6000',
  'group.consumer.session.timeout.ms': '10000',
  'group.consumer.min.heartbeat.interval.ms': '500',
  'group.consumer.heartbeat.interval.ms': '1000',
};

const CLASSIC_TIMERS = { 'session.timeout.ms': 10_000, 'heartbeat.interval.ms': 1_000 };

/** The internal topics replicated as the scenario's topic is (one replica: no follower fetching to simulate). */
function internalTopicsReplication(replicationFactor: number): Record<string, string> {
  return { 'offsets.topic.replication.factor': String(replicationFactor), 'transaction.state.log.replication.factor': String(replicationFactor) };
}

export interface SmallScenarioOptions {
  name?: string;
  durationMs?: number;
  replicationFactor?: number;
  members?: number;
  recordsPerSecond?: number;
  commit?: GroupSpec['commit'];
  staticMembership?: boolean;
  /** KRaft voters (brokers 0..n-1), so that any broker may be killed; omitted: one controller on broker 0. */
  controllers?: number;
  timeline?: TimelineEvent[];
  producerConfig?: Record<string, string | number | boolean>;
}

export function smallScenario(options: SmallScenarioOptions = {}): Scenario {
  return {
    name: options.name ?? 'runner-small',
    description: 'three brokers, six partitions, a group of three',
    durationMs: options.durationMs ?? 60_000,
    cluster: { brokers: 3, ...(options.controllers === undefined ? {} : { controllers: options.controllers }), latencyMs: 1, config: { ...SMALL_BROKER_CONFIG, ...internalTopicsReplication(options.replicationFactor ?? 3) } },
    topics: [{ name: 'orders', partitions: 6, replicationFactor: options.replicationFactor ?? 3, config: {} }],
    groups: [
      {
        name: 'app',
        topics: ['orders'],
        members: options.members ?? 3,
        staticMembership: options.staticMembership ?? false,
        consumerConfig: { 'max.poll.interval.ms': 20_000 },
        processingMs: 0,
        commit: options.commit ?? 'sync',
        pollTimeoutMs: 100,
      },
    ],
    producers: [{ topic: 'orders', recordsPerSecond: options.recordsPerSecond ?? 100, keys: { kind: 'uniform', keys: 1_000 }, valueBytes: 32, config: { acks: 'all', 'linger.ms': 5, ...options.producerConfig }, startMs: 0 }],
    timeline: options.timeline ?? [],
    variants: [
      // The classic members' own timers, as short as the consumer protocol's (the brokers' group.consumer.* above).
      { name: 'classic-eager', protocol: 'classic-eager', consumerConfig: CLASSIC_TIMERS },
      { name: 'classic-cooperative', protocol: 'classic-cooperative', consumerConfig: CLASSIC_TIMERS },
      { name: 'consumer', protocol: 'consumer' },
    ],
    cases: [],
    metrics: [],
    seeds: 1,
    quick: {},
  };
}
