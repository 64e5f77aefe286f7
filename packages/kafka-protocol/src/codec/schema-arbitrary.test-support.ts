/**
 * fast-check arbitraries that build any value a message schema can carry at one version: fields the
 * version lacks hold their defaults (as decoding yields them), the rest are random, null where the version
 * allows, and flexible structs sometimes carry unknown tagged fields (which decoding must keep).
 */
import fc from 'fast-check';
import { inRange, type FieldSchema, type FieldType, type MessageSchema, type StructSchema } from '../schema.js';
import { defaultValue, type RawTaggedField, type StructValue } from './defaults.js';
import { uuidText } from './uuid.js';

const ARRAY_LENGTH_MAX = 3;
const TEXT_LENGTH_MAX = 6;
const BYTES_LENGTH_MAX = 8;
/** Above every tag the specs use, so that these fields stay unknown to the decoder. */
const UNKNOWN_TAG_MIN = 1000;

interface ArbitraryContext {
  readonly version: number;
  readonly flexible: boolean;
}

function scalarArbitrary(type: FieldType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'uint32':
      return fc.integer({ min: 0, max: 4294967295 });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double();
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map(uuidText);
    case 'string':
      return fc.string({ unit: 'binary', maxLength: TEXT_LENGTH_MAX });
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: BYTES_LENGTH_MAX });
    default:
      throw new TypeError(`${type.kind} is not a scalar`);
  }
}

function typeArbitrary(context: ArbitraryContext, type: FieldType): fc.Arbitrary<unknown> {
  if (type.kind === 'array') return fc.array(typeArbitrary(context, type.element), { maxLength: ARRAY_LENGTH_MAX });
  if (type.kind === 'struct') return structArbitrary(context, type.struct);
  return scalarArbitrary(type);
}

function fieldArbitrary(context: ArbitraryContext, field: FieldSchema): fc.Arbitrary<unknown> {
  if (!inRange(field.versions, context.version)) return fc.constant(defaultValue(field));
  const value = typeArbitrary(context, field.type);
  return inRange(field.nullableVersions, context.version) ? fc.option(value, { nil: null }) : value;
}

const unknownTaggedFieldsArbitrary: fc.Arbitrary<RawTaggedField[]> = fc
  .uniqueArray(fc.integer({ min: UNKNOWN_TAG_MIN, max: UNKNOWN_TAG_MIN + 20 }), { maxLength: 2 })
  .chain((tags) =>
    fc.tuple(...tags.sort((left, right) => left - right).map((tag) => fc.uint8Array({ maxLength: 4 }).map((data) => ({ tag, data })))),
  );

function structArbitrary(context: ArbitraryContext, struct: StructSchema): fc.Arbitrary<StructValue> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of struct.fields) fields[field.name] = fieldArbitrary(context, field);
  const record = fc.record(fields) as fc.Arbitrary<StructValue>;
  if (!context.flexible) return record;
  return fc.tuple(record, unknownTaggedFieldsArbitrary).map(([value, unknown]) =>
    unknown.length > 0 ? { ...value, _unknownTaggedFields: unknown } : value,
  );
}

export function messageArbitrary(message: MessageSchema, version: number): fc.Arbitrary<StructValue> {
  return structArbitrary({ version, flexible: inRange(message.flexibleVersions, version) }, message.struct);
}
