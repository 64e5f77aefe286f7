/**
 * Default values and the "is this the default?" test. Kafka relies on both: a field that a version lacks
 * decodes as its default, a tagged field is written only when it differs from its default, and writing a
 * non-default value into a version without the field is refused (`UnsupportedVersionException`).
 */
import type { FieldSchema, FieldType, StructSchema } from '../schema.js';

/** Kafka's `Uuid.ZERO_UUID` in its text form (URL-safe base64 of 16 zero bytes, no padding). */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** A tagged field this codec's spec does not know, kept as Kafka keeps `_unknownTaggedFields`. */
export interface RawTaggedField {
  readonly tag: number;
  readonly data: Uint8Array;
}

export type StructValue = Record<string, unknown> & { _unknownTaggedFields?: RawTaggedField[] };

function scalarDefault(type: FieldType): unknown {
  switch (type.kind) {
    case 'bool':
      return false;
    case 'int64':
      return 0n;
    case 'uuid':
      return ZERO_UUID;
    case 'string':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    case 'records':
      return null;
    case 'struct':
    case 'array':
      throw new TypeError(`${type.kind} has no scalar default`);
    default:
      return 0;
  }
}

export function defaultStruct(struct: StructSchema): StructValue {
  const value: StructValue = {};
  for (const field of struct.fields) value[field.name] = defaultValue(field);
  return value;
}

export function defaultValue(field: FieldSchema): unknown {
  if (field.type.kind === 'struct') return field.defaultNull === true ? null : defaultStruct(field.type.struct);
  if (field.type.kind === 'array') return field.defaultNull === true ? null : [];
  return field.default !== undefined ? field.default : scalarDefault(field.type);
}

export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left === 'number' && typeof right === 'number') return Number.isNaN(left) && Number.isNaN(right);
  if (left instanceof Uint8Array && right instanceof Uint8Array) {
    return left.length === right.length && left.every((byte, index) => byte === right[index]);
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => deepEqual(item, right[index]));
  }
  if (typeof left === 'object' && typeof right === 'object' && left !== null && right !== null) {
    const leftKeys = Object.keys(left).filter((key) => (left as Record<string, unknown>)[key] !== undefined);
    const rightKeys = Object.keys(right).filter((key) => (right as Record<string, unknown>)[key] !== undefined);
    if (leftKeys.length !== rightKeys.length) return false;
    return leftKeys.every((key) => deepEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
  }
  return false;
}

export function isDefault(field: FieldSchema, value: unknown): boolean {
  return deepEqual(value, defaultValue(field));
}
