/**
 * The client's own limits: bounds Kafka's clients do not expose as settings, each with the reason for its
 * value. Every queue and buffer in this package is bounded by a setting or by one of these.
 */

/**
 * Requests that may wait for a connection or an in-flight slot to one broker. The producer and the fetcher
 * already hold back what they send (max.in.flight.requests.per.connection, one fetch per broker), so this
 * only catches a runaway caller of `Admin` or `ClusterClient.request`.
 */
export const MAX_QUEUED_REQUESTS_PER_BROKER = 10_000;

/**
 * The largest response frame a client accepts: twice Kafka's `socket.request.max.bytes` default (100 MiB),
 * the same hard cap the transports use. A fetch response is bounded by fetch.max.bytes (50 MiB by default)
 * plus one first batch that may exceed it (KIP-74), so this leaves room for both.
 */
export const MAX_RESPONSE_FRAME_BYTES = 2 * 104_857_600;

/**
 * Kafka's `MemoryRecordsBuilder` upper bound of one record's framing besides its key, value and headers:
 * length (varint, 5) + attributes (1) + timestampDelta (varlong, 10) + offsetDelta (varint, 5) + key
 * length (5) + value length (5) + header count (5).
 */
export const RECORD_OVERHEAD_BYTES_MAX = 36;

/** Topics whose partition count a producer or consumer caches; metadata for more would be unbounded. */
export const MAX_TRACKED_TOPICS = 10_000;

/** Sends that may wait (for metadata or buffer memory) behind each other before send() fails fast. */
export const MAX_BLOCKED_SENDS = 100_000;

/**
 * Kafka's `AbstractCoordinator.JOIN_GROUP_TIMEOUT_LAPSE`: a JoinGroup is parked by the coordinator for up
 * to the rebalance timeout (max.poll.interval.ms), so its request timeout is that plus this margin, and
 * never less than request.timeout.ms.
 */
export const JOIN_GROUP_TIMEOUT_LAPSE_MS = 5_000;

/**
 * Offset commit callbacks of commitAsync waiting for the application's next poll(), commitSync() or
 * close() (Java runs them on the caller's thread there). One per commitAsync call, so this only bounds an
 * application that commits asynchronously in a loop without ever polling.
 */
export const MAX_PENDING_COMMIT_CALLBACKS = 100_000;

/** Lifecycle event handlers one consumer keeps (`consumer.on('event', ...)`). */
export const MAX_EVENT_HANDLERS = 1_000;

/** Kafka's `KafkaConsumer.DEFAULT_CLOSE_TIMEOUT_MS`: how long close() may take to commit and leave the group. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
