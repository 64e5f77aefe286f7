/**
 * Building blocks for the API schemas. Every array and string is bounded, so a hostile frame cannot make a
 * node allocate or loop beyond what the frame itself carries (the lesson of KAFKA-14063).
 */
import { z } from 'zod';
import { utf8Length } from '../records/utf8.js';
import { wireLimits } from './wire-limits.js';

const maxStringCharsAnyText = Math.floor(wireLimits.maxStringChars / 3);

export const int8 = z.int().min(-128).max(127);
export const int16 = z.int().min(-32_768).max(32_767);
export const int32 = z.int().min(-2_147_483_648).max(2_147_483_647);
/** Kafka's int64, restricted to JavaScript's safe integers (offsets, timestamps, epochs). */
export const int64 = z.int();
/**
 * A Kafka string: its int16 length counts UTF-8 bytes, so at most 32,767 of them (and so at most 32,767 UTF-16
 * units). Counting bytes, not characters, matters where a string is written again in Kafka's encoding: a
 * group id of 32,767 characters with one 'é' in it passed a count of characters, then could not be written
 * to __consumer_offsets and crashed the coordinator.
 */
export const kafkaString = z
  .string()
  .max(wireLimits.maxStringChars)
  // A UTF-16 unit takes at most 3 UTF-8 bytes, so only strings past a third of the bound need counting.
  .refine((value) => value.length <= maxStringCharsAnyText || utf8Length(value) <= wireLimits.maxStringChars, {
    message: `Too big: expected string to have <=${wireLimits.maxStringChars} UTF-8 bytes`,
  });
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
