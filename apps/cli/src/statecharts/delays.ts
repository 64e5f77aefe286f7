/**
 * Which Kafka setting each named delay of kactor's machines comes from, so a diagram says
 * `after sessionTimeout (session.timeout.ms)` rather than a bare name. The delay functions themselves live
 * in each machine's `setup({ delays })`; a test fails when a machine uses a delay missing here.
 */
export const DELAY_CONFIG_NAMES: Readonly<Record<string, string>> = {
  // consumer (packages/client/src/consumer/group/consumer-group.setup.ts)
  heartbeatInterval: 'heartbeat.interval.ms',
  sessionTimeout: 'session.timeout.ms',
  pollTimeout: 'max.poll.interval.ms',
  retryBackoff: 'retry.backoff.ms',
  heartbeatRetryBackoff: 'retry.backoff.ms',
  // producer (packages/client/src/producer/producer.machine.ts)
  maxBlock: 'max.block.ms',
  // group coordinator: the rebalance timeout is each member's JoinGroup rebalanceTimeoutMs, which a Kafka consumer sets from max.poll.interval.ms
  initialRebalanceDelay: 'group.initial.rebalance.delay.ms',
  rebalanceTimeout: 'max.poll.interval.ms',
  // delayed fetch
  fetchMaxWait: 'fetch.max.wait.ms',
  // broker lifecycle
  brokerHeartbeatInterval: 'broker.heartbeat.interval.ms',
  registrationRetryBackoff: 'retry.backoff.ms',
  controlledShutdownTimeout: 'broker.session.timeout.ms',
  // partition leader: Kafka's isr-expiration task runs every replica.lag.time.max.ms / 2
  isrExpirationIntervalMs: 'replica.lag.time.max.ms / 2',
  // replica fetcher
  replicaFetchBackoffMs: 'replica.fetch.backoff.ms',
};

/** `sessionTimeout (session.timeout.ms)`, `500 ms` for a literal delay, or the bare name when it has no entry. */
export function delayLabel(delay: string | number): string {
  if (typeof delay === 'number') return `${delay} ms`;
  const config = DELAY_CONFIG_NAMES[delay];
  return config === undefined ? delay : `${delay} (${config})`;
}
