/**
 * Decodes a value by walking its message schema for one version: the mirror of `encode.ts`. Fields the
 * version lacks take their defaults. Unknown tagged fields are kept (`_unknownTaggedFields`), as Kafka
 * keeps them, so that a message read and written again loses nothing. Every problem raises
 * `MalformedInput`; the public decode functions catch it and answer with Kafka's error data.
 */
import { inRange, type FieldSchema, type FieldType, type MessageSchema, type StructSchema } from '../schema.js';
import { ByteReader, MalformedInput } from './byte-reader.js';
import { defaultValue, type RawTaggedField, type StructValue } from './defaults.js';
import { uuidText } from './uuid.js';

interface DecodeContext {
  readonly message: MessageSchema;
  readonly version: number;
  readonly flexible: boolean;
}

const UUID_BYTES = 16;

export function decodeMessage(message: MessageSchema, version: number, reader: ByteReader): StructValue {
  if (!inRange(message.validVersions, version)) throw new MalformedInput(`${message.name} has no version ${version}`);
  const context: DecodeContext = { message, version, flexible: inRange(message.flexibleVersions, version) };
  return readStruct(context, message.struct, reader, message.name);
}

function readStruct(context: DecodeContext, struct: StructSchema, reader: ByteReader, path: string): StructValue {
  const value: StructValue = {};
  const taggedByNumber = new Map<number, FieldSchema>();
  for (const field of struct.fields) {
    const present = inRange(field.versions, context.version);
    const isTagged = present && field.tag !== undefined && context.flexible && inRange(field.taggedVersions, context.version);
    if (present && !isTagged) {
      value[field.name] = readField(context, field, reader, `${path}.${field.name}`);
    } else {
      value[field.name] = defaultValue(field);
      if (isTagged) taggedByNumber.set(field.tag!, field);
    }
  }
  if (!context.flexible) return value;
  const unknown: RawTaggedField[] = [];
  const taggedCount = reader.unsignedVarint();
  if (taggedCount > reader.remaining) throw new MalformedInput(`${path} claims ${taggedCount} tagged fields in ${reader.remaining} bytes`);
  for (let index = 0; index < taggedCount; index += 1) {
    const tag = reader.unsignedVarint();
    const size = reader.unsignedVarint();
    if (size > reader.remaining) throw new MalformedInput(`tagged field ${tag} of ${path} claims ${size} bytes, ${reader.remaining} remain`);
    const field = taggedByNumber.get(tag);
    if (field === undefined) {
      unknown.push({ tag, data: reader.raw(size, `tagged field ${tag}`) });
      continue;
    }
    const end = reader.offset + size;
    const fieldReader = new ByteReader(reader.bytes, reader.offset, end);
    value[field.name] = readField(context, field, fieldReader, `${path}.${field.name}`);
    if (fieldReader.offset !== end) throw new MalformedInput(`tagged field ${tag} of ${path} left ${end - fieldReader.offset} bytes unread`);
    reader.offset = end;
  }
  if (unknown.length > 0) value._unknownTaggedFields = unknown;
  return value;
}

function isCompact(context: DecodeContext, field: FieldSchema): boolean {
  return field.flexibleVersions !== undefined ? inRange(field.flexibleVersions, context.version) : context.flexible;
}

/**
 * A length, or -1 for null; compact lengths are stored plus one. Like Kafka's generated readers, any
 * negative classic length means null.
 */
function readLength(compact: boolean, int16Length: boolean, reader: ByteReader, path: string): number {
  const length = compact ? reader.unsignedVarint() - 1 : int16Length ? reader.int16() : reader.int32();
  if (length < 0) return -1;
  if (length > reader.remaining) throw new MalformedInput(`${path} claims ${length} items or bytes, only ${reader.remaining} bytes remain`);
  return length;
}

function readField(context: DecodeContext, field: FieldSchema, reader: ByteReader, path: string): unknown {
  const value = readValue(context, field, field.type, reader, path, true);
  if (value === null && !inRange(field.nullableVersions, context.version)) {
    throw new MalformedInput(`${path} is null, but ${context.message.name} version ${context.version} does not allow null`);
  }
  return value;
}

function readValue(context: DecodeContext, field: FieldSchema, type: FieldType, reader: ByteReader, path: string, isFieldLevel: boolean): unknown {
  const compact = isCompact(context, field);
  switch (type.kind) {
    case 'bool':
      return reader.int8() !== 0;
    case 'int8':
      return reader.int8();
    case 'int16':
      return reader.int16();
    case 'uint16':
      return reader.uint16();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'int64':
      return reader.int64();
    case 'float64':
      return reader.float64();
    case 'uuid':
      return uuidText(reader.raw(UUID_BYTES, path));
    case 'string': {
      const length = readLength(compact, true, reader, path);
      return length < 0 ? null : reader.utf8(length, path);
    }
    case 'bytes':
    case 'records': {
      const length = readLength(compact, false, reader, path);
      return length < 0 ? null : reader.raw(length, path);
    }
    case 'array': {
      const length = readLength(compact, false, reader, path);
      if (length < 0) return null;
      const items: unknown[] = [];
      for (let index = 0; index < length; index += 1) {
        const item = readValue(context, field, type.element, reader, `${path}[${index}]`, false);
        if (item === null) throw new MalformedInput(`${path}[${index}] is null; array elements cannot be`);
        items.push(item);
      }
      return items;
    }
    case 'struct':
      if (isFieldLevel && inRange(field.nullableVersions, context.version) && reader.int8() < 0) return null;
      return readStruct(context, type.struct, reader, path);
  }
}
