/**
 * Limits of the storage layer that are not Kafka settings, each with the reason for its value.
 * (Kafka's own settings, with their defaults, are in `@kactor/protocol`'s topic and broker configs.)
 */

/**
 * Timers cannot wait longer than 2^31 - 1 ms (Node clamps longer delays to 1 ms), and Kafka's default
 * `log.flush.scheduler.interval.ms` is Long.MAX_VALUE, meaning never: intervals at or above this bound
 * disable the flush scheduler.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Chunk read while recovering a segment: CRC checks need every byte, so read big sequential pieces. */
export const RECOVERY_READ_CHUNK_BYTES = 1024 * 1024;

/** Chunk read while hopping from batch header to batch header (index rebuild, end-offset scan). */
export const HEADER_SCAN_CHUNK_BYTES = 64 * 1024;
