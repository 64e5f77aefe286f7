/**
 * Reads one of Kafka's message spec files (JSON with `//` comments) into a `MessageSchema`. Only the parts
 * that decide the bytes on the wire are kept: names, types, versions, nullability, tags, defaults.
 */
import {
  parseVersionRange,
  type FieldSchema,
  type FieldType,
  type MessageSchema,
  type ScalarDefault,
  type ScalarKind,
  type StructSchema,
  type VersionRange,
} from '../schema.js';

interface SpecField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  ignorable?: boolean;
  default?: string | number | boolean;
  fields?: SpecField[];
}

interface SpecStruct {
  name: string;
  fields: SpecField[];
}

interface SpecMessage {
  name: string;
  type: 'request' | 'response' | 'header';
  apiKey?: number;
  validVersions: string;
  flexibleVersions: string;
  fields: SpecField[];
  commonStructs?: SpecStruct[];
}

const scalarKinds: Record<string, ScalarKind> = {
  bool: 'bool',
  int8: 'int8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  float64: 'float64',
  uuid: 'uuid',
  string: 'string',
  bytes: 'bytes',
  records: 'records',
};

/** Removes `//` comments outside string literals, so that the rest parses as JSON. */
export function stripComments(text: string): string {
  let result = '';
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (inString) {
      result += character;
      if (character === '\\') {
        result += text[index + 1] ?? '';
        index += 1;
      } else if (character === '"') {
        inString = false;
      }
    } else if (character === '"') {
      inString = true;
      result += character;
    } else if (character === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index += 1;
      result += '\n';
    } else {
      result += character;
    }
  }
  return result;
}

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function parseDefault(kind: ScalarKind, raw: string | number | boolean | undefined, nullable: boolean, where: string): ScalarDefault | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (text === 'null') {
    if (!nullable) throw new Error(`${where}: default null on a field that is never nullable`);
    return null;
  }
  switch (kind) {
    case 'bool':
      if (text !== 'true' && text !== 'false') throw new Error(`${where}: bad bool default ${text}`);
      return text === 'true';
    case 'int64':
      return BigInt(text);
    case 'string':
      return text;
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64': {
      const value = Number(text);
      if (Number.isNaN(value)) throw new Error(`${where}: bad numeric default ${text}`);
      return value;
    }
    default:
      if (text === '') return undefined;
      throw new Error(`${where}: defaults for ${kind} are not supported`);
  }
}

function optionalRange(text: string | undefined): VersionRange | null | undefined {
  return text === undefined ? undefined : parseVersionRange(text);
}

export function parseSpec(text: string): MessageSchema {
  const spec = JSON.parse(stripComments(text)) as SpecMessage;
  const common = new Map((spec.commonStructs ?? []).map((struct) => [struct.name, struct]));
  const built = new Map<string, StructSchema>();

  const structFor = (name: string, inlineFields: SpecField[] | undefined, where: string): StructSchema => {
    const known = built.get(name);
    if (known !== undefined) return known;
    const fields = inlineFields ?? common.get(name)?.fields;
    if (fields === undefined) throw new Error(`${where}: unknown struct ${name}`);
    const struct: StructSchema = { name, fields: fields.map((field) => parseField(field, `${where}.${field.name}`)) };
    built.set(name, struct);
    return struct;
  };

  const typeOf = (typeText: string, inlineFields: SpecField[] | undefined, where: string): FieldType => {
    if (typeText.startsWith('[]')) return { kind: 'array', element: typeOf(typeText.slice(2), inlineFields, where) };
    const scalar = scalarKinds[typeText];
    if (scalar !== undefined) return { kind: scalar };
    return { kind: 'struct', struct: structFor(typeText, inlineFields, where) };
  };

  function parseField(field: SpecField, where: string): FieldSchema {
    const type = typeOf(field.type, field.fields, where);
    const nullableVersions = parseVersionRange(field.nullableVersions ?? 'none');
    const schema: {
      -readonly [Key in keyof FieldSchema]: FieldSchema[Key];
    } = {
      name: lowerFirst(field.name),
      type,
      versions: parseVersionRange(field.versions),
      nullableVersions,
      ignorable: field.ignorable === true,
    };
    if (field.tag !== undefined) {
      schema.tag = field.tag;
      schema.taggedVersions = optionalRange(field.taggedVersions) ?? null;
    }
    const flexibleVersions = optionalRange(field.flexibleVersions);
    if (flexibleVersions !== undefined) schema.flexibleVersions = flexibleVersions;
    if (type.kind === 'struct' || type.kind === 'array') {
      if (String(field.default ?? '').trim() === 'null') schema.defaultNull = true;
    } else {
      const parsed = parseDefault(type.kind, field.default, nullableVersions !== null, where);
      if (parsed !== undefined) schema.default = parsed;
    }
    return schema;
  }

  const validVersions = parseVersionRange(spec.validVersions);
  if (validVersions === null) throw new Error(`${spec.name}: no valid versions`);
  return {
    name: spec.name,
    type: spec.type,
    apiKey: spec.apiKey ?? null,
    validVersions,
    flexibleVersions: parseVersionRange(spec.flexibleVersions),
    struct: { name: spec.name, fields: spec.fields.map((field) => parseField(field, `${spec.name}.${field.name}`)) },
  };
}
