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
  // transaction coordinator (packages/broker/src/transaction/transaction.setup.ts, KIP-98)
  transactionTimeout: 'transaction.timeout.ms',
  transactionalIdExpiration: 'transactional.id.expiration.ms',
  // broker lifecycle
  brokerHeartbeatInterval: 'broker.heartbeat.interval.ms',
  registrationRetryBackoff: 'retry.backoff.ms',
  controlledShutdownTimeout: 'broker.session.timeout.ms',
  // partition leader: Kafka's isr-expiration task runs every replica.lag.time.max.ms / 2
  isrExpirationIntervalMs: 'replica.lag.time.max.ms / 2',
  // replica fetcher
  replicaFetchBackoffMs: 'replica.fetch.backoff.ms',
  // Raft replica of the metadata quorum (packages/broker/src/raft/raft-replica.machine.ts, KIP-595/KIP-996)
  electionTimeout: 'controller.quorum.election.timeout.ms',
  fetchTimeout: 'controller.quorum.fetch.timeout.ms',
  candidateBackoff: 'controller.quorum.election.backoff.max.ms',
  checkQuorumTimeout: '1.5 × controller.quorum.fetch.timeout.ms',
  beginQuorumEpochResend: 'controller.quorum.fetch.timeout.ms / 2',
};

/**
 * Delays whose name another machine already uses for a different setting, by machine id: these win over
 * DELAY_CONFIG_NAMES for that machine. The Raft replica retries after controller.quorum.retry.backoff.ms, and a
 * Fetch its leader holds waits for the fetcher's MaxWaitMs (Kafka's followers ask for 500 ms, a constant of
 * KafkaRaftClient, not a setting).
 */
export const MACHINE_DELAY_CONFIG_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'raft-replica': {
    retryBackoff: 'controller.quorum.retry.backoff.ms',
    fetchMaxWait: "the Fetch's MaxWaitMs, 500 ms",
  },
};

/** The setting behind a delay of the machine `machineId`, or undefined when none is known. */
export function delayConfigName(delay: string, machineId?: string): string | undefined {
  return (machineId === undefined ? undefined : MACHINE_DELAY_CONFIG_NAMES[machineId]?.[delay]) ?? DELAY_CONFIG_NAMES[delay];
}

/** `sessionTimeout (session.timeout.ms)`, `500 ms` for a literal delay, or the bare name when it has no entry. */
export function delayLabel(delay: string | number, machineId?: string): string {
  if (typeof delay === 'number') return `${delay} ms`;
  const config = delayConfigName(delay, machineId);
  return config === undefined ? delay : `${delay} (${config})`;
}
