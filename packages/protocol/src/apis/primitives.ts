/**
 * Building blocks for the API schemas. Every array and string is bounded, so a hostile frame cannot make a
 * node allocate or loop beyond what the frame itself carries (the lesson of KAFKA-14063).
 */
import { z } from 'zod';
import { wireLimits } from './wire-limits.js';

export const int8 = z.int().min(-128).max(127);
export const int16 = z.int().min(-32_768).max(32_767);
export const int32 = z.int().min(-2_147_483_648).max(2_147_483_647);
/** Kafka's int64, restricted to JavaScript's safe integers (offsets, timestamps, epochs). */
export const int64 = z.int();
/** A Kafka string: at most 32,767 UTF-16 units, like Kafka's int16-length strings. */
export const kafkaString = z.string().max(wireLimits.maxStringChars);
export const nullableString = kafkaString.nullable();
/** Raw bytes: record batches travel as MessagePack `bin` and arrive as Uint8Array views. */
export const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'expected bytes' });

/** An array bounded by a named wire limit. */
export function boundedArray<T extends z.ZodType>(item: T, maxItems: number) {
  return z.array(item).max(maxItems);
}

export const topicNames = boundedArray(kafkaString, wireLimits.maxTopicsPerRequest);
export const brokerIds = boundedArray(int32, wireLimits.maxBrokers);
export const partitionIndexes = boundedArray(int32, wireLimits.maxPartitionsPerTopicInRequest);
