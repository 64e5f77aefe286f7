/**
 * Encodes a value by walking its message schema for one version. Kafka's rules, as its generated
 * `write` methods apply them:
 * - a field the version lacks must hold its default, unless the field is ignorable (then it is dropped);
 *   otherwise the write is refused with UNSUPPORTED_VERSION, like Kafka's `UnsupportedVersionException`;
 * - in flexible versions strings, bytes and arrays are compact (unsigned varint of length + 1, 0 = null)
 *   and every struct ends with a tag buffer (KIP-482): tagged fields that differ from their default, and
 *   unknown tagged fields kept from decoding, in ascending tag order.
 * Values of the wrong shape (a null where the version allows none, an int out of range) are programmer
 * errors and throw a TypeError.
 */
import { KafkaProtocolError } from '@kactor/protocol';
import { inRange, type FieldSchema, type FieldType, type MessageSchema, type StructSchema } from '../schema.js';
import { ByteWriter, utf8Bytes } from './byte-writer.js';
import { isDefault, type RawTaggedField, type StructValue } from './defaults.js';
import { uuidBytes } from './uuid.js';

interface EncodeContext {
  readonly message: MessageSchema;
  readonly version: number;
  readonly flexible: boolean;
}

const INT16_MAX = 32767;

export function encodeMessage(message: MessageSchema, version: number, value: StructValue, writer = new ByteWriter()): ByteWriter {
  if (!inRange(message.validVersions, version)) {
    throw KafkaProtocolError.from('UNSUPPORTED_VERSION', `${message.name} has no version ${version}`);
  }
  const context: EncodeContext = { message, version, flexible: inRange(message.flexibleVersions, version) };
  writeStruct(context, message.struct, value, writer, message.name);
  return writer;
}

function writeStruct(context: EncodeContext, struct: StructSchema, value: StructValue, writer: ByteWriter, path: string): void {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${path} must be an object`);
  const tagged: { tag: number; write: (target: ByteWriter) => void }[] = [];
  for (const field of struct.fields) {
    const fieldValue = value[field.name];
    const fieldPath = `${path}.${field.name}`;
    const present = inRange(field.versions, context.version);
    const isTagged = present && field.tag !== undefined && context.flexible && inRange(field.taggedVersions, context.version);
    if (!present) {
      if (!field.ignorable && !isDefault(field, fieldValue)) {
        throw KafkaProtocolError.from(
          'UNSUPPORTED_VERSION',
          `${context.message.name} version ${context.version} cannot hold a non-default ${fieldPath}`,
        );
      }
      continue;
    }
    if (isTagged) {
      if (!isDefault(field, fieldValue)) {
        tagged.push({ tag: field.tag!, write: (target) => writeField(context, field, fieldValue, target, fieldPath) });
      }
      continue;
    }
    writeField(context, field, fieldValue, writer, fieldPath);
  }
  const unknown: readonly RawTaggedField[] = value._unknownTaggedFields ?? [];
  if (!context.flexible) {
    if (unknown.length > 0) {
      throw KafkaProtocolError.from('UNSUPPORTED_VERSION', `${path} carries tagged fields, but version ${context.version} is not flexible`);
    }
    return;
  }
  for (const raw of unknown) tagged.push({ tag: raw.tag, write: (target) => target.raw(raw.data) });
  tagged.sort((left, right) => left.tag - right.tag);
  writer.unsignedVarint(tagged.length);
  for (const entry of tagged) {
    const body = new ByteWriter(64);
    entry.write(body);
    writer.unsignedVarint(entry.tag);
    writer.unsignedVarint(body.size);
    writer.raw(body.bytes());
  }
}

function isCompact(context: EncodeContext, field: FieldSchema): boolean {
  return field.flexibleVersions !== undefined ? inRange(field.flexibleVersions, context.version) : context.flexible;
}

function writeField(context: EncodeContext, field: FieldSchema, value: unknown, writer: ByteWriter, path: string): void {
  const nullable = inRange(field.nullableVersions, context.version);
  if (value === null || value === undefined) {
    if (!nullable) throw new TypeError(`${path} is null, but ${context.message.name} version ${context.version} does not allow null`);
    writeNull(field.type, isCompact(context, field), writer);
    return;
  }
  writeValue(context, field, field.type, value, writer, path);
}

function writeNull(type: FieldType, compact: boolean, writer: ByteWriter): void {
  switch (type.kind) {
    case 'string':
      if (compact) writer.unsignedVarint(0);
      else writer.int16(-1);
      return;
    case 'bytes':
    case 'records':
    case 'array':
      if (compact) writer.unsignedVarint(0);
      else writer.int32(-1);
      return;
    case 'struct':
      // Kafka writes a nullable struct as an int8 presence marker: -1 for null, 1 for present.
      writer.int8(-1);
      return;
    default:
      throw new TypeError(`a ${type.kind} cannot be null`);
  }
}

function checkInteger(value: unknown, min: number, max: number, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${path} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function writeLength(compact: boolean, length: number, int16Length: boolean, writer: ByteWriter): void {
  if (compact) writer.unsignedVarint(length + 1);
  else if (int16Length) writer.int16(length);
  else writer.int32(length);
}

function writeValue(context: EncodeContext, field: FieldSchema, type: FieldType, value: unknown, writer: ByteWriter, path: string): void {
  const compact = isCompact(context, field);
  switch (type.kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw new TypeError(`${path} must be a boolean`);
      writer.int8(value ? 1 : 0);
      return;
    case 'int8':
      writer.int8(checkInteger(value, -128, 127, path));
      return;
    case 'int16':
      writer.int16(checkInteger(value, -32768, 32767, path));
      return;
    case 'uint16':
      writer.uint16(checkInteger(value, 0, 65535, path));
      return;
    case 'int32':
      writer.int32(checkInteger(value, -2147483648, 2147483647, path));
      return;
    case 'uint32':
      writer.uint32(checkInteger(value, 0, 4294967295, path));
      return;
    case 'int64':
      if (typeof value !== 'bigint' || BigInt.asIntN(64, value) !== value) throw new TypeError(`${path} must be a 64-bit bigint`);
      writer.int64(value);
      return;
    case 'float64':
      if (typeof value !== 'number') throw new TypeError(`${path} must be a number`);
      writer.float64(value);
      return;
    case 'uuid':
      writer.raw(uuidBytes(value, path));
      return;
    case 'string': {
      if (typeof value !== 'string') throw new TypeError(`${path} must be a string`);
      const bytes = utf8Bytes(value);
      if (!compact && bytes.length > INT16_MAX) throw new TypeError(`${path} is ${bytes.length} bytes, over the int16 length limit`);
      writeLength(compact, bytes.length, true, writer);
      writer.raw(bytes);
      return;
    }
    case 'bytes':
    case 'records':
      if (!(value instanceof Uint8Array)) throw new TypeError(`${path} must be a Uint8Array`);
      writeLength(compact, value.length, false, writer);
      writer.raw(value);
      return;
    case 'array': {
      if (!Array.isArray(value)) throw new TypeError(`${path} must be an array`);
      writeLength(compact, value.length, false, writer);
      value.forEach((element, index) => writeValue(context, field, type.element, element, writer, `${path}[${index}]`));
      return;
    }
    case 'struct':
      if (inRange(field.nullableVersions, context.version) && field.type.kind === 'struct') writer.int8(1);
      writeStruct(context, type.struct, value as StructValue, writer, path);
      return;
  }
}
