/**
 * The shape of a Kafka message spec once the generator has read it: plain data that the codec interprets.
 * One `MessageSchema` per JSON file under `specs/`; the generated modules under `generated/` hold them.
 */

/** An inclusive range of versions, as Kafka writes `"3+"` or `"0-5"`; `null` is Kafka's `"none"`. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** Kafka's `"N+"`: versions have no upper end, and the wire field holding them is an int16. */
export const VERSION_MAX = 32767;

export type ScalarKind =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'uuid'
  | 'string'
  | 'bytes'
  | 'records';

export type FieldType =
  | { readonly kind: ScalarKind }
  | { readonly kind: 'struct'; readonly struct: StructSchema }
  | { readonly kind: 'array'; readonly element: FieldType };

/** A default as the spec gives it, already parsed for scalars; structs and arrays are built from their fields. */
export type ScalarDefault = boolean | number | bigint | string | null;

export interface FieldSchema {
  /** The TypeScript property name: Kafka's name with a lower-case first letter. */
  readonly name: string;
  readonly type: FieldType;
  readonly versions: VersionRange | null;
  readonly nullableVersions: VersionRange | null;
  /** Present only for tagged fields (KIP-482). */
  readonly tag?: number;
  readonly taggedVersions?: VersionRange | null;
  /** A field-level override of the message's flexible versions (RequestHeader's ClientId: `"none"`). */
  readonly flexibleVersions?: VersionRange | null;
  /** Kafka drops an ignorable field silently when the version lacks it; others must hold their default. */
  readonly ignorable: boolean;
  /** For scalar fields: the default (`null` where the spec says `"null"`); absent for structs and arrays. */
  readonly default?: ScalarDefault;
  /** For struct and array fields whose spec default is `"null"`. */
  readonly defaultNull?: boolean;
}

export interface StructSchema {
  readonly name: string;
  readonly fields: readonly FieldSchema[];
}

export interface MessageSchema {
  readonly name: string;
  readonly type: 'request' | 'response' | 'header';
  readonly apiKey: number | null;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange | null;
  readonly struct: StructSchema;
}

export function inRange(range: VersionRange | null | undefined, version: number): boolean {
  return range !== null && range !== undefined && version >= range.min && version <= range.max;
}

/** Parses Kafka's version notation: `"none"`, `"3"`, `"3+"`, `"0-5"`. */
export function parseVersionRange(text: string): VersionRange | null {
  const trimmed = text.trim();
  if (trimmed === 'none') return null;
  if (trimmed.endsWith('+')) return { min: Number.parseInt(trimmed.slice(0, -1), 10), max: VERSION_MAX };
  const dash = trimmed.indexOf('-');
  if (dash >= 0) return { min: Number.parseInt(trimmed.slice(0, dash), 10), max: Number.parseInt(trimmed.slice(dash + 1), 10) };
  const single = Number.parseInt(trimmed, 10);
  return { min: single, max: single };
}
