/**
 * A block of producer ids a broker got from the controller (Kafka's ProducerIdsBlock, KIP-730): the ids
 * [firstProducerId, firstProducerId + size) are this broker's alone, handed out one by one in order. Pure values: a
 * claim returns the id and the block with it used.
 */

export interface ProducerIdsBlock {
  readonly firstProducerId: number;
  readonly size: number;
  /** The next id to hand out; `firstProducerId + size` once the block is used up. */
  readonly nextProducerId: number;
}

/** Kafka's PID_PREFETCH_THRESHOLD: the next block is asked for once 90% of the current one is handed out. */
export const PRODUCER_ID_PREFETCH_THRESHOLD = 0.9;

/** The block before the first answer: holds no id. */
export const EMPTY_PRODUCER_IDS_BLOCK: ProducerIdsBlock = { firstProducerId: -1, size: 0, nextProducerId: -1 };

export function producerIdsBlock(firstProducerId: number, size: number): ProducerIdsBlock {
  return { firstProducerId, size, nextProducerId: firstProducerId };
}

/** The first id after the block. */
export function blockEnd(block: ProducerIdsBlock): number {
  return block.firstProducerId + block.size;
}

export function remainingIds(block: ProducerIdsBlock): number {
  return blockEnd(block) - block.nextProducerId;
}

/** The next id and the block without it, or undefined when the block is used up. */
export function claimNextId(block: ProducerIdsBlock): { producerId: number; block: ProducerIdsBlock } | undefined {
  if (remainingIds(block) <= 0) return undefined;
  return { producerId: block.nextProducerId, block: { ...block, nextProducerId: block.nextProducerId + 1 } };
}

/** Whether `producerId`, just claimed from `block`, reached the prefetch point (Kafka: firstProducerId + 90% of the size). */
export function reachedPrefetchPoint(block: ProducerIdsBlock, producerId: number): boolean {
  return producerId >= block.firstProducerId + Math.floor(block.size * PRODUCER_ID_PREFETCH_THRESHOLD);
}

/**
 * Why a block from the controller cannot be used (Kafka's sanityCheckResponse), or undefined when it can: a block
 * must not overlap ids this broker already had, and must be a non-empty range of safe integers.
 */
export function blockProblem(current: ProducerIdsBlock, producerIdStart: number, producerIdLen: number): string | undefined {
  if (!Number.isSafeInteger(producerIdStart) || !Number.isSafeInteger(producerIdLen) || producerIdStart < 0 || producerIdLen <= 0) {
    return `invalid producer id range: start ${producerIdStart}, length ${producerIdLen}`;
  }
  if (!Number.isSafeInteger(producerIdStart + producerIdLen)) return `producer id range beyond safe integers: start ${producerIdStart}, length ${producerIdLen}`;
  if (current.size > 0 && producerIdStart < blockEnd(current)) return `producer id block starting at ${producerIdStart} overlaps the current block ending at ${blockEnd(current)}`;
  return undefined;
}
