import { boolean, derived, enumList, hostPortList, int, list, listenerList, long, required, short, string } from './define.js';
import { ConfigError } from './config-errors.js';
import { defineScope } from './scope.js';
import type { HostPort, ListenerEndpoint } from './types.js';
import { quorumVoterList, type QuorumVoter } from './quorum-voters.js';
import { INT_MAX_VALUE, LONG_MAX_VALUE } from './values.js';

/**
 * The KRaft quorum's timers (Kafka's QuorumConfig), with Kafka's names and defaults, apply in KRaft mode
 * (issue 12: controller.quorum.voters set).
 */
const quorumNote =
  'Kafka declares no validator here; kactor rejects negative values, and 0 where the timer would then spin. Used in KRaft mode (controller.quorum.voters set).';

/**
 * A broker's settings (Kafka's `KafkaConfig`), typed. Defaults are Kafka 4.0's. Settings marked
 * "not implemented" belong to a later kactor issue: they are declared now so their names and defaults
 * are fixed, and setting them is rejected until then.
 */
export interface BrokerConfig {
  /** node.id: this node's id in the cluster. Required. */
  readonly nodeId: number;
  /** process.roles: `broker`, `controller`, or both. Required. */
  readonly processRoles: readonly ('broker' | 'controller')[];
  /** controller.quorum.bootstrap.servers: where the controller listens (kactor: exactly one). */
  readonly controllerQuorumBootstrapServers: readonly HostPort[];
  /** controller.quorum.voters: the metadata quorum's voters, `{id}@{host}:{port}` (KIP-595 static quorum; not enforced yet). */
  readonly controllerQuorumVoters: readonly QuorumVoter[];
  /** controller.quorum.election.timeout.ms: a voter without a leader starts an election after a random time in [T, 2T). */
  readonly controllerQuorumElectionTimeoutMs: number;
  /** controller.quorum.fetch.timeout.ms: a voter that has not fetched from the leader this long starts an election; a leader without fetches from a majority for 1.5 × this resigns. */
  readonly controllerQuorumFetchTimeoutMs: number;
  /** controller.quorum.election.backoff.max.ms: the most a candidate waits after a lost election. */
  readonly controllerQuorumElectionBackoffMaxMs: number;
  /** controller.quorum.request.timeout.ms: time limit of a request between quorum replicas. */
  readonly controllerQuorumRequestTimeoutMs: number;
  /** controller.quorum.retry.backoff.ms: pause before retrying a failed quorum request. */
  readonly controllerQuorumRetryBackoffMs: number;
  /** controller.quorum.append.linger.ms: how long the quorum leader gathers records before writing a batch. */
  readonly controllerQuorumAppendLingerMs: number;
  /** metadata.log.max.record.bytes.between.snapshots: committed metadata record bytes after which a node writes a snapshot (KIP-630). */
  readonly metadataLogMaxRecordBytesBetweenSnapshots: number;
  /** metadata.log.max.snapshot.interval.ms: the longest time between snapshots while new records arrive, 0 for none (KIP-630). */
  readonly metadataLogMaxSnapshotIntervalMs: number;
  /** listeners: the endpoints this node accepts connections on. */
  readonly listeners: readonly ListenerEndpoint[];
  /** advertised.listeners: the endpoints clients are told to connect to, by listener name; default: listeners. */
  readonly advertisedListeners: readonly ListenerEndpoint[];
  /** log.dir: the data directory when log.dirs is not set. */
  readonly logDir: string;
  /** log.dirs: the data directory (kactor: one per broker); default [log.dir]. */
  readonly logDirs: readonly string[];
  /** auto.create.topics.enable: create a topic on its first use (a Metadata request that allows it). */
  readonly autoCreateTopicsEnable: boolean;
  /** num.partitions: partitions of a topic created without a count. */
  readonly numPartitions: number;
  /** default.replication.factor: replicas of a topic created without a replication factor. */
  readonly defaultReplicationFactor: number;
  /** broker.heartbeat.interval.ms: how often a broker heartbeats to the controller. */
  readonly brokerHeartbeatIntervalMs: number;
  /** broker.session.timeout.ms: how long the controller waits without a heartbeat before fencing. */
  readonly brokerSessionTimeoutMs: number;
  /** socket.request.max.bytes: the largest request frame accepted. */
  readonly socketRequestMaxBytes: number;
  /** queued.max.requests: requests queued before reading stops (kactor: per connection). */
  readonly queuedMaxRequests: number;
  /** queued.max.response.bytes: answer bytes waiting to be written to one connection before reading it stops (kactor). */
  readonly queuedMaxResponseBytes: number;
  /** max.connections: client connections a broker accepts at once. */
  readonly maxConnections: number;
  /** max.connections.per.ip: client connections a broker accepts at once from one address. */
  readonly maxConnectionsPerIp: number;
  /** connections.max.idle.ms: idle connections are closed after this long. */
  readonly connectionsMaxIdleMs: number;
  /** message.max.bytes: the largest record batch accepted (topic default for max.message.bytes). */
  readonly messageMaxBytes: number;
  /** min.insync.replicas: in-sync replicas an acks=all write needs (topic default). */
  readonly minInsyncReplicas: number;
  /** request.timeout.ms: time limit of requests this broker sends to other nodes. */
  readonly requestTimeoutMs: number;
  /** unclean.leader.election.enable: may a live replica outside the ISR lead when no ISR member can (losing data)? Topic default. */
  readonly uncleanLeaderElectionEnable: boolean;
  /** auto.leader.rebalance.enable: the controller moves leadership back to preferred replicas when brokers are imbalanced. */
  readonly autoLeaderRebalanceEnable: boolean;
  /** leader.imbalance.check.interval.seconds: how often the controller checks leader imbalance. */
  readonly leaderImbalanceCheckIntervalSeconds: number;
  /** leader.imbalance.per.broker.percentage: a broker's share of not-preferred leaders above which it is rebalanced. */
  readonly leaderImbalancePerBrokerPercentage: number;
  /** replica.lag.time.max.ms: a follower not caught up for this long leaves the ISR. */
  readonly replicaLagTimeMaxMs: number;
  /** replica.fetch.wait.max.ms: how long a leader may hold a follower's fetch that has nothing new. */
  readonly replicaFetchWaitMaxMs: number;
  /** replica.fetch.min.bytes: bytes a follower's fetch waits for. */
  readonly replicaFetchMinBytes: number;
  /** replica.fetch.max.bytes: bytes a follower fetches per partition. */
  readonly replicaFetchMaxBytes: number;
  /** replica.fetch.response.max.bytes: bytes of one follower fetch answer. */
  readonly replicaFetchResponseMaxBytes: number;
  /** replica.fetch.backoff.ms: a follower's pause after a failed fetch. */
  readonly replicaFetchBackoffMs: number;
  /** producer.id.expiration.ms: a partition forgets a producer that has not written for this long (KIP-98; never one with an open transaction). */
  readonly producerIdExpirationMs: number;
  /** producer.id.expiration.check.interval.ms: how often each partition looks for expired producers. */
  readonly producerIdExpirationCheckIntervalMs: number;
  /** replica.high.watermark.checkpoint.interval.ms: how often each replica writes its high watermark beside its log. */
  readonly replicaHighWatermarkCheckpointIntervalMs: number;
  /** log.segment.bytes: segment size before rolling (topic default for segment.bytes). */
  readonly logSegmentBytes: number;
  /** log.roll.ms: segment age before rolling; default log.roll.hours × 3600000. */
  readonly logRollMs: number;
  /** log.roll.hours: segment age before rolling, in hours (used when log.roll.ms is unset). */
  readonly logRollHours: number;
  /** log.index.interval.bytes: bytes between offset index entries. */
  readonly logIndexIntervalBytes: number;
  /** log.index.size.max.bytes: offset index size; a full index rolls the segment. */
  readonly logIndexSizeMaxBytes: number;
  /** log.flush.interval.messages: unflushed messages that force an fsync. */
  readonly logFlushIntervalMessages: number;
  /** log.flush.interval.ms: age of unflushed data that forces an fsync; default log.flush.scheduler.interval.ms. */
  readonly logFlushIntervalMs: number;
  /** log.flush.scheduler.interval.ms: how often the flush.ms check runs. */
  readonly logFlushSchedulerIntervalMs: number;
  /** log.retention.hours: retention by age, in hours (not enforced yet). */
  readonly logRetentionHours: number;
  /** log.retention.minutes: retention by age, in minutes; default log.retention.hours × 60. */
  readonly logRetentionMinutes: number;
  /** log.retention.ms: retention by age; default log.retention.minutes × 60000. */
  readonly logRetentionMs: number;
  /** log.retention.bytes: retention by size per partition, -1 for none (not enforced yet). */
  readonly logRetentionBytes: number;
  /** log.cleanup.policy: topic default for cleanup.policy. */
  readonly logCleanupPolicy: readonly ('delete' | 'compact')[];
  /** offsets.topic.num.partitions: partitions of `__consumer_offsets`. */
  readonly offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor: replicas of `__consumer_offsets`. */
  readonly offsetsTopicReplicationFactor: number;
  /** offsets.topic.segment.bytes: segment size of `__consumer_offsets`. */
  readonly offsetsTopicSegmentBytes: number;
  /** offset.metadata.max.bytes: the longest metadata string of an offset commit. */
  readonly offsetMetadataMaxBytes: number;
  /** group.initial.rebalance.delay.ms: wait for more members before the first rebalance of an empty group. */
  readonly groupInitialRebalanceDelayMs: number;
  /** offsets.commit.timeout.ms: how long a commit may wait for its records to be committed. */
  readonly offsetsCommitTimeoutMs: number;
  /** group.min.session.timeout.ms: the lowest session timeout a member may ask for. */
  readonly groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms: the highest session timeout a member may ask for. */
  readonly groupMaxSessionTimeoutMs: number;
  /** group.max.size: the most members a classic group may have. */
  readonly groupMaxSize: number;
  /** group.consumer.session.timeout.ms: a consumer group member's session timeout (KIP-848). */
  readonly groupConsumerSessionTimeoutMs: number;
  /** group.consumer.min.session.timeout.ms: the lowest group.consumer.session.timeout.ms allowed. */
  readonly groupConsumerMinSessionTimeoutMs: number;
  /** group.consumer.max.session.timeout.ms: the highest group.consumer.session.timeout.ms allowed. */
  readonly groupConsumerMaxSessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms: the heartbeat interval the coordinator gives consumer group members. */
  readonly groupConsumerHeartbeatIntervalMs: number;
  /** group.consumer.min.heartbeat.interval.ms: the lowest group.consumer.heartbeat.interval.ms allowed. */
  readonly groupConsumerMinHeartbeatIntervalMs: number;
  /** group.consumer.max.heartbeat.interval.ms: the highest group.consumer.heartbeat.interval.ms allowed. */
  readonly groupConsumerMaxHeartbeatIntervalMs: number;
  /** group.consumer.max.size: the most members a consumer group may have. */
  readonly groupConsumerMaxSize: number;
  /** group.consumer.assignors: the server-side assignors, the first being the default. */
  readonly groupConsumerAssignors: readonly ('uniform' | 'range')[];
  /** transaction.state.log.num.partitions: partitions of `__transaction_state` (KIP-98). */
  readonly transactionStateLogNumPartitions: number;
  /** transaction.state.log.replication.factor: replicas of `__transaction_state`. */
  readonly transactionStateLogReplicationFactor: number;
  /** transaction.state.log.min.isr: min.insync.replicas of `__transaction_state`. */
  readonly transactionStateLogMinIsr: number;
  /** transaction.state.log.segment.bytes: segment size of `__transaction_state`. */
  readonly transactionStateLogSegmentBytes: number;
  /** transaction.max.timeout.ms: the longest transaction.timeout.ms a producer may ask for. */
  readonly transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms: how long a transactional id without transactions is kept. */
  readonly transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms: how often the coordinator aborts timed-out transactions. */
  readonly transactionAbortTimedOutTransactionCleanupIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms: how often the coordinator removes expired transactional ids. */
  readonly transactionRemoveExpiredTransactionCleanupIntervalMs: number;
}


export const brokerConfig = defineScope<BrokerConfig>('broker', {
  nodeId: int({ name: 'node.id', doc: 'The id of this node, unique in the cluster and stored in meta.properties.', default: required, min: 0 }),
  processRoles: enumList({
    name: 'process.roles',
    doc: 'The roles this node plays: a broker hosts partitions and serves clients; a controller keeps the cluster metadata.',
    default: required,
    values: ['broker', 'controller'],
    minItems: 1,
    unique: true,
    note: 'Kafka 4.0 requires it too (no ZooKeeper mode).',
  }),
  controllerQuorumBootstrapServers: hostPortList({
    name: 'controller.quorum.bootstrap.servers',
    doc: 'Where to reach the controller to register and heartbeat.',
    default: [],
    maxItems: 1,
    note: 'kactor runs a single controller, so at most one host:port is accepted.',
  }),
  controllerQuorumVoters: quorumVoterList({
    name: 'controller.quorum.voters',
    doc: 'The voters of the metadata quorum (KIP-595), as {id}@{host}:{port} entries such as 0@127.0.0.1:9093,1@127.0.0.1:9095,2@127.0.0.1:9097: the nodes that elect the active controller among themselves and replicate __cluster_metadata.',
    note: 'A static quorum; dynamic membership (controller.quorum.bootstrap.servers with KIP-853) is out of scope. kactor refuses a voter id listed twice. Set: the node runs KRaft mode (every node of the cluster needs the same list and cluster id, and process.roles includes controller exactly on the voters); empty: one controller on one node, as before issue 12.',
  }),
  controllerQuorumElectionTimeoutMs: int({
    name: 'controller.quorum.election.timeout.ms',
    doc: 'A voter that knows no leader starts an election after a random time in [this, 2 × this); a candidate that has not won by then starts again.',
    default: 1_000,
    min: 1,
    unit: 'ms',
    note: quorumNote,
  }),
  controllerQuorumFetchTimeoutMs: int({
    name: 'controller.quorum.fetch.timeout.ms',
    doc: 'A voter that has not fetched from the leader for this long starts an election; a leader that has not been fetched from by a majority of voters for 1.5 × this resigns (check-quorum).',
    default: 2_000,
    min: 1,
    unit: 'ms',
    note: quorumNote,
  }),
  controllerQuorumElectionBackoffMaxMs: int({
    name: 'controller.quorum.election.backoff.max.ms',
    doc: 'The longest a candidate waits after losing an election before it tries again (binary exponential backoff), so that candidates do not keep splitting the vote.',
    default: 1_000,
    min: 0,
    unit: 'ms',
    note: quorumNote,
  }),
  controllerQuorumRequestTimeoutMs: int({
    name: 'controller.quorum.request.timeout.ms',
    doc: 'Time limit of a request between the replicas of the metadata quorum (Vote, BeginQuorumEpoch, EndQuorumEpoch, Fetch, FetchSnapshot).',
    default: 2_000,
    min: 1,
    unit: 'ms',
    note: quorumNote,
  }),
  controllerQuorumRetryBackoffMs: int({
    name: 'controller.quorum.retry.backoff.ms',
    doc: 'How long a quorum replica waits before sending a failed request to the same replica again.',
    default: 20,
    min: 0,
    unit: 'ms',
    note: quorumNote,
  }),
  controllerQuorumAppendLingerMs: int({
    name: 'controller.quorum.append.linger.ms',
    doc: 'How long the quorum leader gathers metadata records before it writes them to its log as one batch.',
    default: 25,
    min: 0,
    unit: 'ms',
    enforced: false,
    note: 'Not used: the active controller writes each command\'s records as one batch at once, which is what a linger of 0 gives.',
  }),
  metadataLogMaxRecordBytesBetweenSnapshots: long({
    name: 'metadata.log.max.record.bytes.between.snapshots',
    doc: 'Bytes of metadata records appended since the latest snapshot after which a node writes a new snapshot of the committed metadata (KIP-630), so the metadata log can be cleaned.',
    default: 20_971_520,
    min: 1,
    unit: 'bytes',
    note: 'Counts the committed metadata records (key and value bytes), on every node, voter or observer; the metadata log then starts at the snapshot, and a replica further behind reads the snapshot (FetchSnapshot).',
  }),
  metadataLogMaxSnapshotIntervalMs: long({
    name: 'metadata.log.max.snapshot.interval.ms',
    doc: 'The longest a node waits before writing a snapshot when metadata records have been committed since the latest one; 0 writes snapshots by size only.',
    default: 3_600_000,
    min: 0,
    unit: 'ms',
    note: 'Checked whenever records commit, as Kafka does: a quiet metadata log writes no snapshot.',
  }),
  listeners: listenerList({
    name: 'listeners',
    doc: 'The endpoints this node accepts connections on, as NAME://host:port; an empty host means all interfaces and port 0 a free port.',
    default: [{ listenerName: 'PLAINTEXT', host: '', port: 9092 }],
    minItems: 1,
    note: 'The PLAINTEXT listener is where Kafka\'s clients connect, in Kafka\'s binary protocol (issue 16); kactor\'s own clients and nodes use the node\'s WebSocket port.',
  }),
  advertisedListeners: listenerList({
    name: 'advertised.listeners',
    doc: 'The endpoints clients are told to connect to (in Metadata answers), as NAME://host:port; each name must be one of listeners.',
    default: derived('listeners', (get) => get('listeners') as readonly ListenerEndpoint[]),
    minItems: 1,
    note: 'As in Kafka, a set value may not advertise 0.0.0.0 nor an empty host; left unset, an empty host of listeners is advertised as 127.0.0.1.',
  }),
  logDir: string({ name: 'log.dir', doc: 'The data directory, used when log.dirs is not set.', default: '/tmp/kafka-logs', nonEmpty: true }),
  logDirs: list({
    name: 'log.dirs',
    doc: 'The data directory holding this broker\'s partition logs and metadata.',
    default: derived('[log.dir]', (get) => Object.freeze([get('log.dir') as string])),
    item: 'directory paths',
    parseItem: (item) => item,
    formatItem: (item) => item,
    minItems: 1,
    maxItems: 1,
    note: 'kactor keeps one data directory per broker (no JBOD), so exactly one entry is accepted.',
  }),
  autoCreateTopicsEnable: boolean({
    name: 'auto.create.topics.enable',
    doc: 'Create a topic, with num.partitions and default.replication.factor, the first time a client asks for it.',
    default: true,
    note: 'A producer\'s (or, with allow.auto.create.topics, a consumer\'s) Metadata request for a missing topic creates it; while it is created the broker answers LEADER_NOT_AVAILABLE and the client asks again. With false, a producer fails after max.block.ms naming the topic.',
  }),
  numPartitions: int({ name: 'num.partitions', doc: 'Partitions of a topic created without an explicit count.', default: 1, min: 1, unit: 'partitions' }),
  defaultReplicationFactor: int({
    name: 'default.replication.factor',
    doc: 'Replicas of a topic created without an explicit replication factor.',
    default: 1,
    min: 1,
    unit: 'replicas',
    note: 'Kafka declares no validator here; kactor rejects values below 1, which no topic could use.',
  }),
  brokerHeartbeatIntervalMs: int({ name: 'broker.heartbeat.interval.ms', doc: 'How often a broker sends a heartbeat to the controller.', default: 2_000, min: 1, unit: 'ms' }),
  brokerSessionTimeoutMs: int({
    name: 'broker.session.timeout.ms',
    doc: 'How long the controller waits without a heartbeat before it fences a broker and moves its leaderships.',
    default: 9_000,
    min: 1,
    unit: 'ms',
  }),
  socketRequestMaxBytes: int({
    name: 'socket.request.max.bytes',
    doc: 'The largest request frame a node accepts; larger ones get MESSAGE_TOO_LARGE without being decoded.',
    default: 104_857_600,
    min: 1,
    unit: 'bytes',
    note: 'Frames above twice this size close the connection (WebSocket code 1009) so memory stays bounded.',
  }),
  queuedMaxRequests: int({
    name: 'queued.max.requests',
    doc: 'Requests that may wait for processing before the node stops reading more.',
    default: 500,
    min: 1,
    unit: 'requests',
    note: 'Kafka bounds one queue shared by all connections; kactor applies the bound to each connection.',
  }),
  queuedMaxResponseBytes: int({
    name: 'queued.max.response.bytes',
    doc: 'Bytes of answers waiting to be written to one connection above which the node stops reading that connection\'s requests, until the client has read them.',
    default: 1_048_576,
    min: 1,
    unit: 'bytes',
    note:
      'kactor only. Kafka mutes a connection while one answer is in flight; kactor pipelines answers and bounds them instead, so a client that sends requests but never reads answers holds at most this much plus one answer of broker memory.',
  }),
  maxConnections: int({
    name: 'max.connections',
    doc: 'Client connections the broker accepts at once; further ones are refused (HTTP 503 naming this setting). Connections of brokers and the controller (cluster secret) are not counted.',
    default: 1_000,
    min: 0,
    unit: 'connections',
    note:
      "Kafka's default is 2147483647 (no limit). kactor defaults to 1000 so that idle or hostile clients run into this refusal long before the process runs out of file descriptors (often 1024-20000), which would also stop it opening log segments and reaching its peers.",
  }),
  maxConnectionsPerIp: int({
    name: 'max.connections.per.ip',
    doc: 'Client connections the broker accepts at once from one IP address; further ones are refused (HTTP 503 naming this setting).',
    default: INT_MAX_VALUE,
    min: 0,
    unit: 'connections',
    note: 'Every client on the same machine shares 127.0.0.1, so on a local cluster this cannot tell one client from another; it matters for a broker reached from other machines.',
  }),
  connectionsMaxIdleMs: long({
    name: 'connections.max.idle.ms',
    doc: 'A connection with no request nor answer for this long (and no request outstanding) is closed; clients reconnect when they next need it.',
    default: 600_000,
    min: 1,
    unit: 'ms',
  }),
  minInsyncReplicas: int({
    name: 'min.insync.replicas',
    doc: 'In-sync replicas (the leader included) an acks=all write needs; the default for the topic setting of the same name.',
    default: 1,
    min: 1,
    unit: 'replicas',
  }),
  uncleanLeaderElectionEnable: boolean({
    name: 'unclean.leader.election.enable',
    doc: 'When no in-sync replica can lead a partition, let a live replica outside the ISR lead (ISR = [it]) rather than leave the partition offline. Records it lacks are lost, acknowledged ones included; the topic setting of the same name overrides it.',
    default: false,
    note: 'Each unclean election is logged as a warning and counted by the controller (uncleanLeaderElections).',
  }),
  autoLeaderRebalanceEnable: boolean({
    name: 'auto.leader.rebalance.enable',
    doc: 'Every leader.imbalance.check.interval.seconds the controller gives leadership back to preferred replicas (the first assigned) on brokers whose share of partitions led elsewhere is above leader.imbalance.per.broker.percentage.',
    default: true,
  }),
  leaderImbalanceCheckIntervalSeconds: long({
    name: 'leader.imbalance.check.interval.seconds',
    doc: 'How often the controller checks whether preferred replicas should lead again (auto.leader.rebalance.enable).',
    default: 300,
    min: 1,
    unit: 'seconds',
    note: '`kactor cluster up` sets it to 10 unless `--override` gives it, so on a local cluster leadership returns to a restarted broker while you watch.',
  }),
  leaderImbalancePerBrokerPercentage: int({
    name: 'leader.imbalance.per.broker.percentage',
    doc: 'The percentage of a broker\'s preferred partitions led by another broker above which the controller moves them back to it.',
    default: 10,
    min: 0,
    unit: 'percent',
  }),
  replicaLagTimeMaxMs: long({
    name: 'replica.lag.time.max.ms',
    doc: 'A follower that has not caught up with the leader\'s log end for this long (stuck, silent or slow) is removed from the in-sync replicas.',
    default: 30_000,
    min: 1,
    unit: 'ms',
  }),
  replicaFetchWaitMaxMs: int({
    name: 'replica.fetch.wait.max.ms',
    doc: 'How long a leader may hold a follower\'s fetch that has nothing new; keep it below replica.lag.time.max.ms.',
    default: 500,
    min: 0,
    unit: 'ms',
  }),
  replicaFetchMinBytes: int({
    name: 'replica.fetch.min.bytes',
    doc: 'Bytes a follower\'s fetch waits for before the leader answers (up to replica.fetch.wait.max.ms).',
    default: 1,
    min: 0,
    unit: 'bytes',
  }),
  replicaFetchMaxBytes: int({
    name: 'replica.fetch.max.bytes',
    doc: 'Bytes a follower fetches per partition in one request; a larger first batch still comes whole, so replication never stalls.',
    default: 1_048_576,
    min: 0,
    unit: 'bytes',
  }),
  replicaFetchResponseMaxBytes: int({
    name: 'replica.fetch.response.max.bytes',
    doc: 'Bytes of one follower fetch answer across its partitions; a larger first batch still comes whole.',
    default: 10_485_760,
    min: 0,
    unit: 'bytes',
  }),
  replicaFetchBackoffMs: int({
    name: 'replica.fetch.backoff.ms',
    doc: 'How long a follower waits after a failed fetch before fetching from the leader again.',
    default: 1_000,
    min: 0,
    unit: 'ms',
  }),
  producerIdExpirationMs: int({
    name: 'producer.id.expiration.ms',
    doc: 'How long a partition keeps the state (epoch, last sequences) of a producer that writes nothing more; after it the producer may start at any sequence. A producer with an open transaction is never forgotten.',
    default: 86_400_000,
    min: 1,
    unit: 'ms',
  }),
  producerIdExpirationCheckIntervalMs: int({
    name: 'producer.id.expiration.check.interval.ms',
    doc: 'How often each partition removes the producers idle for longer than producer.id.expiration.ms.',
    default: 600_000,
    min: 1,
    unit: 'ms',
  }),
  replicaHighWatermarkCheckpointIntervalMs: int({
    name: 'replica.high.watermark.checkpoint.interval.ms',
    doc: 'How often each replica writes its high watermark to disk. A restarted replica starts from it, never from its log end, whose tail may not be committed.',
    default: 5_000,
    min: 1,
    unit: 'ms',
  }),
  messageMaxBytes: int({
    name: 'message.max.bytes',
    doc: 'The largest record batch the broker accepts; the default for the topic setting max.message.bytes.',
    default: 1_048_588,
    min: 0,
    unit: 'bytes',
  }),
  requestTimeoutMs: int({ name: 'request.timeout.ms', doc: 'Time limit of requests this broker sends to other nodes (e.g. to the controller).', default: 30_000, min: 0, unit: 'ms' }),
  logSegmentBytes: int({ name: 'log.segment.bytes', doc: 'Size at which a segment file is closed and a new one started.', default: 1_073_741_824, min: 14, unit: 'bytes' }),
  logRollMs: long({
    name: 'log.roll.ms',
    doc: 'Age at which a segment is rolled even if not full.',
    default: derived('log.roll.hours × 3600000', (get) => (get('log.roll.hours') as number) * 3_600_000),
    min: 1,
    unit: 'ms',
  }),
  logRollHours: int({ name: 'log.roll.hours', doc: 'Age at which a segment is rolled, in hours; log.roll.ms takes precedence.', default: 168, min: 1, unit: 'hours' }),
  logIndexIntervalBytes: int({ name: 'log.index.interval.bytes', doc: 'Bytes of records between two entries of the sparse offset index.', default: 4_096, min: 0, unit: 'bytes' }),
  logIndexSizeMaxBytes: int({ name: 'log.index.size.max.bytes', doc: 'Size of a segment\'s offset index; a full index rolls the segment.', default: 10_485_760, min: 4, unit: 'bytes' }),
  logFlushIntervalMessages: long({
    name: 'log.flush.interval.messages',
    doc: 'Messages appended to a partition before an fsync is forced.',
    default: LONG_MAX_VALUE,
    min: 1,
    unit: 'messages',
    note: 'The default (Long.MAX_VALUE) never forces a flush: like Kafka, durability comes from replication and the page cache.',
  }),
  logFlushIntervalMs: long({
    name: 'log.flush.interval.ms',
    doc: 'Age of the oldest unflushed data at which an fsync is forced.',
    default: derived('log.flush.scheduler.interval.ms', (get) => get('log.flush.scheduler.interval.ms') as number),
    min: 0,
    unit: 'ms',
    note: 'Kafka\'s default is null, meaning the value of log.flush.scheduler.interval.ms (Long.MAX_VALUE): never.',
  }),
  logFlushSchedulerIntervalMs: long({
    name: 'log.flush.scheduler.interval.ms',
    doc: 'How often the log manager checks whether a partition is due for a flush.ms flush.',
    default: LONG_MAX_VALUE,
    min: 1,
    unit: 'ms',
    note: 'Kafka declares no lower bound; kactor requires at least 1 ms so the check can never spin.',
  }),
  logRetentionHours: int({ name: 'log.retention.hours', doc: 'Retention by age in hours, used when the minutes and ms settings are unset.', default: 168, unit: 'hours', enforced: false }),
  logRetentionMinutes: int({
    name: 'log.retention.minutes',
    doc: 'Retention by age in minutes, used when log.retention.ms is unset.',
    default: derived('log.retention.hours × 60', (get) => (get('log.retention.hours') as number) * 60),
    unit: 'minutes',
    enforced: false,
  }),
  logRetentionMs: long({
    name: 'log.retention.ms',
    doc: 'Retention by age: segments older than this are deleted; -1 keeps them forever.',
    default: derived('log.retention.minutes × 60000 (-1 if negative)', (get) => Math.max(-1, (get('log.retention.minutes') as number) * 60_000)),
    min: -1,
    unit: 'ms',
    enforced: false,
    note: 'kactor keeps every segment for now.',
  }),
  logRetentionBytes: long({
    name: 'log.retention.bytes',
    doc: 'Retention by size of a partition; -1 means no limit.',
    default: -1,
    unit: 'bytes',
    enforced: false,
    note: 'kactor keeps every segment for now.',
  }),
  logCleanupPolicy: enumList({
    name: 'log.cleanup.policy',
    doc: 'Default cleanup policy of topics: delete old segments, compact by key, or both.',
    default: ['delete'],
    values: ['delete', 'compact'],
    unique: true,
    enforced: false,
    note: 'Neither deletion nor compaction runs yet: every record is kept. `compact` is accepted so compacted topics can be declared.',
  }),
  offsetsTopicNumPartitions: int({ name: 'offsets.topic.num.partitions', doc: 'Partitions of the internal __consumer_offsets topic.', default: 50, min: 1, unit: 'partitions' }),
  offsetsTopicReplicationFactor: short({
    name: 'offsets.topic.replication.factor',
    doc: 'Replicas of the internal __consumer_offsets topic; a cluster with fewer brokers cannot create it.',
    default: 3,
    min: 1,
    unit: 'replicas',
    note: '`kactor cluster up --brokers N` lowers it to N when N is smaller, and a lone `kactor broker` running its own controller to 1 (as Kafka\'s single-node sample config does).',
  }),
  offsetsTopicSegmentBytes: int({ name: 'offsets.topic.segment.bytes', doc: 'Segment size of __consumer_offsets, kept small so it compacts and loads fast.', default: 104_857_600, min: 1, unit: 'bytes' }),
  offsetMetadataMaxBytes: int({ name: 'offset.metadata.max.bytes', doc: 'The longest metadata string an offset commit may carry.', default: 4_096, unit: 'bytes' }),
  groupInitialRebalanceDelayMs: int({
    name: 'group.initial.rebalance.delay.ms',
    doc: 'How long the coordinator waits for more members before the first rebalance of an empty group.',
    default: 3_000,
    unit: 'ms',
  }),
  groupMinSessionTimeoutMs: int({ name: 'group.min.session.timeout.ms', doc: 'The lowest session timeout a group member may ask for.', default: 6_000, unit: 'ms' }),
  groupMaxSessionTimeoutMs: int({ name: 'group.max.session.timeout.ms', doc: 'The highest session timeout a group member may ask for.', default: 1_800_000, unit: 'ms' }),
  offsetsCommitTimeoutMs: int({
    name: 'offsets.commit.timeout.ms',
    doc: 'How long an offset commit (or a group assignment) may wait for its records to be committed to __consumer_offsets.',
    default: 5_000,
    min: 1,
    unit: 'ms',
  }),
  groupMaxSize: int({ name: 'group.max.size', doc: 'The most members one classic group may have.', default: INT_MAX_VALUE, min: 1, unit: 'members' }),
  // The consumer group protocol's settings (KIP-848, Kafka's GroupCoordinatorConfig): the coordinator, not the member, decides its timers.
  groupConsumerSessionTimeoutMs: int({
    name: 'group.consumer.session.timeout.ms',
    doc: 'How long the coordinator waits without a heartbeat before it removes a consumer group member (KIP-848).',
    default: 45_000,
    min: 1,
    unit: 'ms',
  }),
  groupConsumerMinSessionTimeoutMs: int({ name: 'group.consumer.min.session.timeout.ms', doc: 'The lowest group.consumer.session.timeout.ms allowed.', default: 45_000, min: 1, unit: 'ms' }),
  groupConsumerMaxSessionTimeoutMs: int({ name: 'group.consumer.max.session.timeout.ms', doc: 'The highest group.consumer.session.timeout.ms allowed.', default: 60_000, min: 1, unit: 'ms' }),
  groupConsumerHeartbeatIntervalMs: int({
    name: 'group.consumer.heartbeat.interval.ms',
    doc: 'The interval the coordinator tells consumer group members to heartbeat at (KIP-848).',
    default: 5_000,
    min: 1,
    unit: 'ms',
  }),
  groupConsumerMinHeartbeatIntervalMs: int({ name: 'group.consumer.min.heartbeat.interval.ms', doc: 'The lowest group.consumer.heartbeat.interval.ms allowed.', default: 5_000, min: 1, unit: 'ms' }),
  groupConsumerMaxHeartbeatIntervalMs: int({ name: 'group.consumer.max.heartbeat.interval.ms', doc: 'The highest group.consumer.heartbeat.interval.ms allowed.', default: 15_000, min: 1, unit: 'ms' }),
  groupConsumerMaxSize: int({ name: 'group.consumer.max.size', doc: 'The most members one consumer group may have (KIP-848).', default: INT_MAX_VALUE, min: 1, unit: 'members' }),
  groupConsumerAssignors: enumList({
    name: 'group.consumer.assignors',
    doc: 'The server-side assignors consumer groups may choose with group.remote.assignor; the first is the default (KIP-848). Kafka names them by class; kactor by the names members ask for.',
    default: ['uniform', 'range'],
    values: ['uniform', 'range'],
    unique: true,
  }),
  // The transaction coordinator's settings (Kafka's TransactionLogConfig and TransactionStateManagerConfig, KIP-98).
  transactionStateLogNumPartitions: int({
    name: 'transaction.state.log.num.partitions',
    doc: 'Partitions of the internal __transaction_state topic; a transactional id\'s coordinator is the leader of partition abs(hashCode(id)) % this.',
    default: 50,
    min: 1,
    unit: 'partitions',
  }),
  transactionStateLogReplicationFactor: short({
    name: 'transaction.state.log.replication.factor',
    doc: 'Replicas of the internal __transaction_state topic; a cluster with fewer brokers cannot create it, and transactions wait until it can. `kactor cluster up --brokers N` lowers it to N when N is smaller, and a lone `kactor broker` running its own controller to 1.',
    default: 3,
    min: 1,
    unit: 'replicas',
  }),
  transactionStateLogMinIsr: int({
    name: 'transaction.state.log.min.isr',
    doc: 'min.insync.replicas of __transaction_state: a transaction\'s state change is acknowledged only once this many replicas hold it. `kactor cluster up --brokers N` lowers it to N when N is smaller, and a lone `kactor broker` running its own controller to 1.',
    default: 2,
    min: 1,
    unit: 'replicas',
  }),
  transactionStateLogSegmentBytes: int({
    name: 'transaction.state.log.segment.bytes',
    doc: 'Segment size of __transaction_state, kept small so it compacts and loads fast.',
    default: 104_857_600,
    min: 1,
    unit: 'bytes',
  }),
  transactionMaxTimeoutMs: int({
    name: 'transaction.max.timeout.ms',
    doc: 'The longest transaction.timeout.ms a producer may ask for; InitProducerId with a longer one is refused with INVALID_TRANSACTION_TIMEOUT, so a producer cannot hold the last stable offset of its partitions back for longer.',
    default: 900_000,
    min: 1,
    unit: 'ms',
  }),
  transactionalIdExpirationMs: int({
    name: 'transactional.id.expiration.ms',
    doc: 'How long a transaction coordinator keeps a transactional id that has no ongoing transaction and no new one; after it, the id and its producer id and epoch are forgotten.',
    default: 604_800_000,
    min: 1,
    unit: 'ms',
  }),
  transactionAbortTimedOutTransactionCleanupIntervalMs: int({
    name: 'transaction.abort.timed.out.transaction.cleanup.interval.ms',
    doc: 'How often the transaction coordinator looks for transactions open longer than their transaction.timeout.ms and aborts them.',
    default: 10_000,
    min: 1,
    unit: 'ms',
  }),
  transactionRemoveExpiredTransactionCleanupIntervalMs: int({
    name: 'transaction.remove.expired.transaction.cleanup.interval.ms',
    doc: 'How often the transaction coordinator removes transactional ids past transactional.id.expiration.ms.',
    default: 3_600_000,
    min: 1,
    unit: 'ms',
  }),
}, checkAdvertisedListeners);

/**
 * Kafka's rule for `advertised.listeners`: every name is one of `listeners`, and a set value names a host
 * clients can reach (not the wildcard 0.0.0.0 nor an empty host).
 */
function checkAdvertisedListeners(config: BrokerConfig, explicit: ReadonlySet<string>): BrokerConfig {
  const names = new Set(config.listeners.map((listener) => listener.listenerName));
  for (const advertised of config.advertisedListeners) {
    if (!names.has(advertised.listenerName)) {
      throw new ConfigError(`advertised.listeners names ${advertised.listenerName}, which is not one of listeners (${[...names].join(', ')})`, {
        configName: 'advertised.listeners',
        scope: 'broker',
      });
    }
    if (explicit.has('advertised.listeners') && (advertised.host === '' || advertised.host === '0.0.0.0')) {
      throw new ConfigError(`advertised.listeners cannot advertise ${advertised.listenerName} at "${advertised.host}": clients need a host they can reach`, {
        configName: 'advertised.listeners',
        scope: 'broker',
      });
    }
  }
  return config;
}
