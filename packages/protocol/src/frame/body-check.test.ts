import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apis, schemasFor, type ApiName } from '../apis/registry.js';
import { bodyCheckFor } from './body-check.js';

type Def = { type: string; [field: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The bound of a schema's check of that kind (a minimum value or length), if it has one. */
function bound(def: Def, kind: string): number | undefined {
  for (const check of (def['checks'] as unknown[] | undefined) ?? []) {
    const checkDef = defOf(check);
    if (checkDef['check'] === kind) return (checkDef['value'] ?? checkDef['minimum']) as number;
  }
  return undefined;
}

/** A small value of of `schema`, built from its definition (the variant picks among options). */
function sample(schema: unknown, variant: number): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return def['checks'] === undefined || (def['checks'] as unknown[]).length < 3 ? `s${variant}` : 's';
    case 'number':
      return Math.max(variant % 3, bound(def, 'greater_than') ?? 0);
    case 'boolean':
      return variant % 2 === 0;
    case 'literal':
    case 'enum':
      return [...((schema as { _zod: { values: Set<unknown> } })._zod.values)][variant % (schema as { _zod: { values: Set<unknown> } })._zod.values.size];
    case 'custom':
      return new Uint8Array([variant]);
    case 'nullable':
      return variant % 2 === 1 ? null : sample(def['innerType'], variant);
    case 'optional':
      return variant % 2 === 1 ? undefined : sample(def['innerType'], variant);
    case 'union': {
      const options = def['options'] as unknown[];
      return sample(options[variant % options.length], variant);
    }
    case 'array':
      return Array.from({ length: Math.max(variant % 3, bound(def, 'min_length') ?? 0) }, (_, index) => sample(def['element'], variant + index));
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def['shape'] as Record<string, unknown>)) {
        const value = sample(field, variant);
        if (value !== undefined) result[key] = value;
      }
      return result;
    }
    default:
      throw new Error(`no sample for ${def.type}`);
  }
}

/** Every object and array inside `value`, with a way to replace or remove one of its entries. */
function* places(value: unknown): Generator<{ container: Record<string, unknown>; key: string }> {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return;
  for (const key of Object.keys(value)) {
    yield { container: value as Record<string, unknown>, key };
    yield* places((value as Record<string, unknown>)[key]);
  }
}

const wildValues: unknown[] = [
  undefined, null, '', 'x', 'x'.repeat(40_000), -1, 0, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, true,
  [], [1], {}, { extra: 1 }, new Uint8Array(2), new Date(0), new Map(),
];

/** Bodies near a valid one: each entry replaced by each wild value, removed, or joined by an extra key. */
function* mutations(valid: unknown): Generator<unknown> {
  const count = [...places(valid)].length;
  for (let index = 0; index < count; index += 1) {
    for (let wild = -2; wild < wildValues.length; wild += 1) {
      const copy = structuredClone(valid);
      const { container, key } = [...places(copy)][index] as { container: Record<string, unknown>; key: string };
      if (wild === -2) delete container[key];
      // An extra key on an object (MessagePack has no array with named entries).
      else if (wild === -1) (Array.isArray(container) ? {} : container)[`${key}Extra`] = 1;
      else container[key] = wildValues[wild];
      yield copy;
    }
  }
  yield { ...(valid as object), extra: 1 };
  yield Object.assign(Object.create(null) as object, valid);
  yield [valid];
}

const schemaPairs = (Object.keys(apis) as ApiName[]).flatMap((api) => {
  const schemas = schemasFor(api, 0);
  if (schemas === undefined) return [];
  return [
    { name: `${api} request`, schema: schemas.request },
    { name: `${api} response`, schema: schemas.response },
  ];
});

describe('the fast body check agrees with zod', () => {
  it.each(schemaPairs)('$name: accepts valid bodies unchanged, and nothing zod refuses or would change', ({ schema }) => {
    const check = bodyCheckFor(schema);
    expect(check, 'every API schema is modelled, so no API falls back to zod for valid bodies').toBeDefined();
    let validSamples = 0;
    for (let variant = 0; variant < 4; variant += 1) {
      const valid = sample(schema, variant);
      // The sampler knows the bounds, not every pattern: a sample zod refuses still has its mutations tried.
      if (schema.safeParse(valid).success) {
        validSamples += 1;
        expect(check?.(valid)).toBe(true);
      }
      for (const body of mutations(valid)) {
        if (check?.(body) !== true) continue;
        const verdict = schema.safeParse(body);
        expect(verdict.success, JSON.stringify(body)).toBe(true);
        expect(verdict.data).toStrictEqual(body);
      }
    }
    expect(validSamples).toBeGreaterThan(0);
  });

  it('leaves a schema with a transform or a default to zod', () => {
    expect(bodyCheckFor(z.strictObject({ name: z.string().transform((value) => value.trim()) }))).toBeUndefined();
    expect(bodyCheckFor(z.strictObject({ count: z.int().default(3) }))).toBeUndefined();
    expect(bodyCheckFor(z.strictObject({ count: z.int().optional() }))).toBeDefined();
  });

  it('refuses an extra key, a missing required key and a key present as undefined, which zod would answer differently', () => {
    const check = bodyCheckFor(z.strictObject({ id: z.int(), note: z.string().optional() }));
    expect(check?.({ id: 1 })).toBe(true);
    expect(check?.({ id: 1, note: 'n' })).toBe(true);
    expect(check?.({ id: 1, other: 2 })).toBe(false);
    expect(check?.({ note: 'n' })).toBe(false);
    expect(check?.({ id: 1, note: undefined })).toBe(false);
    expect(check?.({ id: 1.5 })).toBe(false);
  });
});
