/**
 * Seeded frames for the broker fuzz test: valid requests of every API in the registry (their bodies are
 * generated from the APIs' own zod schemas, so an API added tomorrow is fuzzed without touching this file),
 * with wild field values, and mutations of them (bit flips, truncation, inflated MessagePack lengths, random
 * api keys, versions, frame kinds and frame versions). Everything is drawn from one seeded `Random`, so a seed
 * gives the same frames every time.
 */
import { apis, encodeRawFrame, encodeRecordBatch, FRAME_HEADER_BYTES, schemasFor, type ApiName } from '@kactor/protocol';
import type { Random } from '@kactor/runtime';

/** Names the frames use, so that some requests hit what earlier ones created (topics, groups, members). */
const knownNames = ['fuzz', 'fuzz-0', 'orders', 'g', 'group-1', 'consumer', 'range', 'cooperative-sticky', 'member-1', '__consumer_offsets', ''];

/**
 * Fields that size what the node builds (a topic's partitions): small, or past their limit. A valid topic of
 * 100,000 partitions is tested where the limit is (topic-commands tests); here it would only cost time.
 */
const sizingFields: Readonly<Record<string, readonly number[]>> = {
  numPartitions: [-1, 0, 1, 2, 3, -2, 100_001, 2 ** 31 - 1, -(2 ** 31)],
  count: [0, 1, 2, 4, 6, -1, 100_001, 2 ** 31 - 1],
  replicationFactor: [-1, 0, 1, 2, 3, 2 ** 15 - 1, -(2 ** 15)],
};

const interestingInts = [0, 1, -1, 2, 3, 7, 100, 1_000, 6_000, 30_000, 2 ** 15 - 1, -(2 ** 15), 2 ** 31 - 1, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53 - 1)];

export interface GeneratorLimits {
  /** The longest wild string (characters). Kafka's int16 bound is 32,767; beyond it the frame is refused. */
  readonly maxWildStringChars: number;
  /** The most items a generated array has (wild arrays only; ordinary ones have at most 3). */
  readonly maxWildArrayItems: number;
}

const defaultLimits: GeneratorLimits = { maxWildStringChars: 33_000, maxWildArrayItems: 200 };

type ZodDef = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): ZodDef => (schema as { _zod: { def: ZodDef } })._zod.def;

/** The integer bounds of a zod number schema (its min/max checks). */
function intBounds(def: ZodDef): { min: number; max: number } {
  let min = -(2 ** 53 - 1);
  let max = 2 ** 53 - 1;
  for (const check of (def.checks as unknown[] | undefined) ?? []) {
    const checkDef = defOf(check) as ZodDef & { check?: string; value?: number; inclusive?: boolean };
    if (checkDef.check === 'greater_than' && typeof checkDef.value === 'number') min = checkDef.inclusive === false ? checkDef.value + 1 : checkDef.value;
    if (checkDef.check === 'less_than' && typeof checkDef.value === 'number') max = checkDef.inclusive === false ? checkDef.value - 1 : checkDef.value;
  }
  return { min, max };
}

function maxLength(def: ZodDef): number | undefined {
  for (const check of (def.checks as unknown[] | undefined) ?? []) {
    const checkDef = defOf(check) as ZodDef & { check?: string; maximum?: number };
    if (checkDef.check === 'max_length' && typeof checkDef.maximum === 'number') return checkDef.maximum;
  }
  return undefined;
}

export class FrameGenerator {
  private readonly apiNames: ApiName[];
  private readonly limits: GeneratorLimits;

  /** `only`: the APIs to make frames for (default: every API of the registry), to focus a reproduction. */
  constructor(
    private readonly random: Random,
    limits: Partial<GeneratorLimits> = {},
    only?: readonly ApiName[],
  ) {
    this.apiNames = only !== undefined && only.length > 0 ? [...only] : (Object.keys(apis) as ApiName[]);
    this.limits = { ...defaultLimits, ...limits };
    // A pool of well-formed batches: a broker treats a batch the same whichever request carries it, and
    // encoding (and gzipping) one per frame would cost more than the broker's work on it.
    this.batches = Array.from({ length: 32 }, () => this.recordBatch());
  }

  private readonly batches: Uint8Array[];
  /** Strings the node made (member ids from JoinGroup answers), so later frames can act as those members. */
  private readonly learned: string[] = [];

  /** Remembers a string the node made; at most `maxLearned` are kept, a newer one replacing a random older one. */
  learn(value: string): void {
    if (value === '' || this.learned.includes(value)) return;
    if (this.learned.length < FrameGenerator.maxLearned) this.learned.push(value);
    else this.learned[this.random.nextInt(FrameGenerator.maxLearned)] = value;
  }

  private static readonly maxLearned = 64;

  /** Where the frame being generated holds strings, so that an `edge` frame can lengthen one of them. */
  private stringSlots: Array<{ holder: Record<string, unknown> | unknown[]; key: string | number; max: number }> = [];

  /** The APIs frames are made for: every API of the registry. */
  get apis(): readonly ApiName[] {
    return this.apiNames;
  }

  private chance(probability: number): boolean {
    return this.random.next() < probability;
  }

  private pick<T>(values: readonly T[]): T {
    return values[this.random.nextInt(values.length)]!;
  }

  /** A value the schema accepts most of the time; with `wild`, often one at (or past) its edges. */
  valueFor(schema: unknown, wild: boolean): unknown {
    const def = defOf(schema);
    switch (def.type) {
      case 'object': {
        const shape = def.shape as Record<string, unknown>;
        const value: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(shape)) {
          if (wild && this.chance(0.02)) continue; // a missing field
          const sizing = sizingFields[key];
          value[key] = sizing !== undefined && defOf(field).type === 'number' ? this.pick(sizing) : this.valueFor(field, wild);
          this.noteStringSlot(field, value, key);
        }
        if (wild && this.chance(0.02)) value.unexpected = 1; // strict objects refuse extra keys
        return value;
      }
      case 'nullable':
        return this.chance(0.5) ? null : this.valueFor(def.innerType, wild);
      case 'optional':
        return this.chance(0.3) ? undefined : this.valueFor(def.innerType, wild);
      case 'default':
      case 'readonly':
      case 'nonoptional':
        return this.valueFor(def.innerType, wild);
      case 'string':
        return this.stringValue(maxLength(def), wild);
      case 'number':
        return this.intValue(intBounds(def), wild);
      case 'boolean':
        return this.chance(0.5);
      case 'literal':
        return this.pick(def.values as unknown[]);
      case 'enum':
        return this.pick(Object.values(def.entries as Record<string, unknown>));
      case 'union':
        return this.valueFor(this.pick(def.options as unknown[]), wild);
      case 'array': {
        const count = wild && this.chance(0.02) ? this.random.nextInt(this.limits.maxWildArrayItems + 1) : this.random.nextInt(4);
        const items = Array.from({ length: count }, () => this.valueFor(def.element, wild));
        items.forEach((_, index) => this.noteStringSlot(def.element, items, index));
        return items;
      }
      case 'record':
        return {};
      case 'custom':
        return this.bytesValue(wild);
      default:
        return null;
    }
  }

  private noteStringSlot(schema: unknown, holder: Record<string, unknown> | unknown[], key: string | number): void {
    let def = defOf(schema);
    if (def.type === 'nullable' || def.type === 'optional') def = defOf(def.innerType);
    if (def.type === 'string') this.stringSlots.push({ holder, key, max: maxLength(def) ?? 32_767 });
  }

  /**
   * In a wild frame each string or number is wild with this probability, so most wild frames still pass
   * validation with one or two values at the edge, and reach the actors behind it.
   */
  private static readonly wildLeafRate = 0.15;

  private stringValue(max: number | undefined, wild: boolean): string {
    if (wild && this.chance(FrameGenerator.wildLeafRate)) {
      const roll = this.random.next();
      if (roll < 0.3) {
        // Lengths at and past the wire bound: whatever the node builds from them must still fit.
        const bound = max ?? 32_767;
        const length = this.pick([bound, bound - 1, bound - 36, bound + 1, 250, 1_000, this.random.nextInt(this.limits.maxWildStringChars + 1)]);
        return 'x'.repeat(Math.min(Math.max(0, length), this.limits.maxWildStringChars));
      }
      if (roll < 0.6) return this.pick(['\u0000', '\ud800', '..', '.', 'a b', 'ünïcødé', 'topic/with/slash', '']);
    }
    // '' often: it is what many fields mean by "none yet" (a first JoinGroup's member id).
    if (this.chance(0.15)) return '';
    if (this.learned.length > 0 && this.chance(0.2)) return this.pick(this.learned);
    if (this.chance(0.8)) return this.pick(knownNames);
    return `s${this.random.nextInt(1_000)}`;
  }

  private intValue(bounds: { min: number; max: number }, wild: boolean): number {
    if (wild && this.chance(FrameGenerator.wildLeafRate)) {
      return this.chance(0.8) ? this.pick(interestingInts) : this.pick([bounds.min, bounds.max, bounds.min - 1, bounds.max + 1, 0.5, Number.NaN]);
    }
    // Small values, and the session and rebalance timeouts a coordinator accepts (group.min/max.session.timeout.ms).
    const small = this.pick([-1, 0, 0, 1, 1, 2, 3, 100, 1_000, 6_000, 10_000, 10_000, 30_000, 45_000, 45_000]);
    return Math.min(bounds.max, Math.max(bounds.min, small));
  }

  private bytesValue(wild: boolean): Uint8Array {
    if (this.chance(0.5)) return this.pick(this.batches);
    const length = wild && this.chance(0.1) ? this.random.nextInt(4_096) : this.random.nextInt(64);
    return this.random.nextBytes(length);
  }

  /** A well-formed record batch (what a producer sends), sometimes gzip-compressed. */
  recordBatch(): Uint8Array {
    const count = 1 + this.random.nextInt(3);
    const encoder = new TextEncoder();
    return encodeRecordBatch({
      records: Array.from({ length: count }, (_, index) => ({ key: encoder.encode(`k${index}`), value: this.random.nextBytes(this.random.nextInt(100)), headers: [], timestamp: 1_700_000_000_000 + index })),
      compression: this.chance(0.1) ? 'gzip' : 'none',
    });
  }

  /** A request frame of `api` with a body its schema accepts (or, with `wild`, one at and past its edges). */
  requestFrame(api: ApiName, correlationId: number, wild: boolean): Uint8Array {
    return encodeRawFrame('request', apis[api].key, 0, correlationId, this.requestBody(api, wild));
  }

  private requestBody(api: ApiName, wild: boolean): unknown {
    const schemas = schemasFor(api, 0);
    this.stringSlots = [];
    return schemas === undefined ? {} : this.valueFor(schemas.request, wild);
  }

  /**
   * A valid request with one of its strings as long as the wire allows (or a little less): whatever the node
   * builds from it (a member id `client.id-uuid`, a message naming it) must still fit in its answer.
   */
  edgeFrame(api: ApiName, correlationId: number): Uint8Array {
    const body = this.requestBody(api, false);
    const slot = this.stringSlots.length === 0 ? undefined : this.pick(this.stringSlots);
    if (slot !== undefined) {
      const length = Math.max(0, Math.min(this.limits.maxWildStringChars, slot.max - this.pick([0, 0, 1, 36, 37, 40])));
      (slot.holder as Record<string | number, unknown>)[slot.key] = 'x'.repeat(length);
    }
    return encodeRawFrame('request', apis[api].key, 0, correlationId, body);
  }

  /**
   * The next frame of a campaign: a valid request (15%), a request with wild values (15%), a valid request
   * with one string at the wire's length bound (20%), or a mutated one (50%). The correlation id is written
   * last, so a mutation never hides which request it was.
   */
  nextFrame(correlationId: number): { frame: Uint8Array; kind: string } {
    const api = this.pick(this.apiNames);
    const roll = this.random.next();
    if (roll < 0.15) return { frame: this.requestFrame(api, correlationId, false), kind: `valid ${api}` };
    if (roll < 0.3) return { frame: this.requestFrame(api, correlationId, true), kind: `wild ${api}` };
    if (roll < 0.5) return { frame: this.edgeFrame(api, correlationId), kind: `edge ${api}` };
    const base = this.requestFrame(api, correlationId, this.chance(0.5));
    const mutation = this.pick(['bitflips', 'truncate', 'inflate', 'header', 'splice', 'garbage'] as const);
    const frame = this.mutate(base, mutation);
    if (frame.byteLength >= FRAME_HEADER_BYTES) new DataView(frame.buffer, frame.byteOffset, frame.byteLength).setUint32(6, correlationId);
    return { frame, kind: `${mutation} ${api}` };
  }

  private mutate(original: Uint8Array, mutation: 'bitflips' | 'truncate' | 'inflate' | 'header' | 'splice' | 'garbage'): Uint8Array {
    const frame = original.slice();
    const body = frame.byteLength - FRAME_HEADER_BYTES;
    switch (mutation) {
      case 'bitflips': {
        const flips = 1 + this.random.nextInt(8);
        for (let i = 0; i < flips && body > 0; i++) {
          const at = FRAME_HEADER_BYTES + this.random.nextInt(body);
          frame[at] = frame[at]! ^ (1 << this.random.nextInt(8));
        }
        return frame;
      }
      case 'truncate':
        return frame.subarray(0, this.random.nextInt(frame.byteLength));
      case 'inflate': {
        // A MessagePack str32/bin32/array32/map32 marker with a huge length where a value was.
        if (body <= 0) return frame;
        const at = FRAME_HEADER_BYTES + this.random.nextInt(body);
        const grown = new Uint8Array(frame.byteLength + 5);
        grown.set(frame.subarray(0, at));
        grown[at] = this.pick([0xdb, 0xc6, 0xdd, 0xdf, 0xda, 0xc5, 0xdc, 0xde]);
        new DataView(grown.buffer).setUint32(at + 1, this.pick([0xffff_ffff, 0x7fff_ffff, 0x0100_0000, 65_535, body * 2]));
        grown.set(frame.subarray(at), at + 5);
        return grown;
      }
      case 'header': {
        const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
        const field = this.random.nextInt(4);
        if (field === 0) view.setUint16(2, this.random.nextInt(65_536)); // api key
        if (field === 1) view.setUint16(4, this.pick([1, 2, 65_535, this.random.nextInt(65_536)])); // api version
        if (field === 2) view.setUint8(1, this.pick([1, 2, 3, 255])); // frame kind
        if (field === 3) view.setUint8(0, this.pick([0, 2, 255])); // frame version
        return frame;
      }
      case 'splice': {
        // Another API's body under this API's header.
        const other = this.requestFrame(this.pick(this.apiNames), 0, false);
        const spliced = new Uint8Array(FRAME_HEADER_BYTES + other.byteLength - FRAME_HEADER_BYTES);
        spliced.set(frame.subarray(0, FRAME_HEADER_BYTES));
        spliced.set(other.subarray(FRAME_HEADER_BYTES), FRAME_HEADER_BYTES);
        return spliced;
      }
      case 'garbage': {
        const garbage = this.random.nextBytes(this.random.nextInt(256));
        const result = new Uint8Array(FRAME_HEADER_BYTES + garbage.byteLength);
        result.set(frame.subarray(0, FRAME_HEADER_BYTES));
        result.set(garbage, FRAME_HEADER_BYTES);
        return result;
      }
    }
  }
}
