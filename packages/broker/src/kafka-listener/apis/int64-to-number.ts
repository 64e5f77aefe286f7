/** Kafka's int64 (a bigint) as kactor's (a safe integer), shared by the adapters that read producer ids, epochs, offsets and timestamps. */

/**
 * Kafka's int64 (a bigint) as kactor's (a safe integer). Producer ids, epochs and offsets that kactor hands out
 * are all safe integers; a value past 2^53 is none of them, so it becomes the nearest safe integer, which the
 * broker then refuses (an unknown producer id) or stores (an offset) as Kafka would refuse or store the original.
 */
export function int64ToNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (value < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(value);
}
