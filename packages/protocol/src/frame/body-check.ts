/**
 * A fast first pass over a decoded frame body: a predicate built once per API schema from the schema's own zod
 * definition, which says whether zod would accept the body unchanged. Every frame from a peer is still checked
 * against its schema; the predicate only spares zod's general machinery (a result object per field, issue arrays,
 * a fresh copy of every object and array) for the bodies that are valid, which is nearly all of them.
 *
 * It must never accept what zod refuses: a body it accepts is used as decoded, so it accepts only where zod would
 * return the same value, and answers "ask zod" (false) for everything else, including any schema part it does not
 * know (a transform, a default, an unknown check). zod then gives the verdict and the error message, as before.
 */
import type { z } from 'zod';

/** True only when zod would accept `value` and return it unchanged (up to the order of object keys). */
export type BodyCheck = (value: unknown) => boolean;

interface ZodInternals {
  readonly def: { readonly type: string; readonly [field: string]: unknown };
  readonly traits: ReadonlySet<string>;
  readonly check?: unknown;
  readonly values?: ReadonlySet<unknown>;
  readonly optin?: string;
}

const internalsOf = (schema: unknown): ZodInternals => (schema as { _zod: ZodInternals })._zod;

/** A schema part the predicate does not model: the whole schema is left to zod. */
class UnsupportedSchemaError extends Error {}

const compiled = new WeakMap<z.ZodType, BodyCheck | undefined>();

/** The predicate for `schema`, built on first use; undefined when the schema has a part it does not model. */
export function bodyCheckFor(schema: z.ZodType): BodyCheck | undefined {
  if (compiled.has(schema)) return compiled.get(schema);
  let check: BodyCheck | undefined;
  try {
    check = compile(schema);
  } catch (error) {
    if (!(error instanceof UnsupportedSchemaError)) throw error;
    check = undefined;
  }
  compiled.set(schema, check);
  return check;
}

function unsupported(what: string): never {
  throw new UnsupportedSchemaError(what);
}

function compile(schema: unknown): BodyCheck {
  const internals = internalsOf(schema);
  const def = internals.def;
  if (def['coerce'] === true) unsupported('coercion');
  const checks = ((def['checks'] as unknown[] | undefined) ?? []).map(compileCheck);
  // An array's bound is checked before its items: an oversized array is refused without walking it twice.
  if (def.type === 'array') return compileArray(compile(def['element']), checks);
  const base = compileType(schema, internals);
  if (checks.length === 0) return base;
  if (checks.length === 1) {
    const [only] = checks as [BodyCheck];
    return (value) => base(value) && only(value);
  }
  return (value) => {
    if (!base(value)) return false;
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}

/** The type itself, and the check a type carries as itself (z.int()'s safe-integer format, z.custom's function). */
function compileType(schema: unknown, internals: ZodInternals): BodyCheck {
  const def = internals.def;
  switch (def.type) {
    case 'string':
      if (internals.check !== undefined) unsupported('a string format');
      return (value) => typeof value === 'string';
    case 'number': {
      if (internals.check === undefined) return (value) => typeof value === 'number' && Number.isFinite(value);
      if (def['check'] === 'number_format' && def['format'] === 'safeint') return (value) => Number.isSafeInteger(value);
      return unsupported(`number format ${String(def['format'])}`);
    }
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'literal':
    case 'enum': {
      const values = internals.values ?? unsupported(`${def.type} without values`);
      return (value) => values.has(value);
    }
    case 'custom': {
      const fn = def['fn'] as (value: unknown) => unknown;
      return (value) => accepted(fn(value));
    }
    case 'nullable': {
      const inner = compile(def['innerType']);
      return (value) => value === null || inner(value);
    }
    case 'optional': {
      if (internals.traits.has('$ZodExactOptional')) unsupported('an exact optional');
      const innerType = def['innerType'];
      if (internalsOf(innerType).optin === 'defaulted') unsupported('a default');
      const inner = compile(innerType);
      return (value) => value === undefined || inner(value);
    }
    case 'union': {
      if (def['inclusive'] === false || def['discriminator'] !== undefined) unsupported('an exclusive or discriminated union');
      const options = (def['options'] as unknown[]).map(compile);
      return (value) => {
        for (const option of options) if (option(value)) return true;
        return false;
      };
    }
    case 'object':
      return compileObject(def['shape'] as Record<string, unknown>);
    default:
      return unsupported(`type ${def.type}`);
  }
}

function compileArray(element: BodyCheck, checks: readonly BodyCheck[]): BodyCheck {
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (const check of checks) if (!check(value)) return false;
    for (let index = 0; index < value.length; index += 1) if (!element(value[index])) return false;
    return true;
  };
}

/**
 * Exactly the shape's keys: an extra key is refused by a strict object and dropped by any other, so either way
 * zod's answer would differ from the body as it is. Counting the keys with a value against the object's own keys
 * proves there is no other key without testing each name with `in` (the slow part): an extra key, or a key present
 * with the value `undefined`, makes the object's count the larger, and is left to zod.
 */
function compileObject(shape: Record<string, unknown>): BodyCheck {
  const keys = Object.keys(shape);
  if (keys.includes('__proto__')) unsupported('a __proto__ key');
  const optional = keys.map((key) => internalsOf(shape[key]).optin !== undefined);
  const checks = keys.map((key) => compile(shape[key]));
  return (value) => {
    if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
    const record = value as Record<string, unknown>;
    let defined = 0;
    for (let index = 0; index < keys.length; index += 1) {
      const field = record[keys[index] as string];
      if (field === undefined) {
        if (optional[index] !== true) return false;
      } else {
        if (!(checks[index] as BodyCheck)(field)) return false;
        defined += 1;
      }
    }
    return Object.keys(record).length === defined;
  };
}

function compileCheck(check: unknown): BodyCheck {
  const def = internalsOf(check).def as { check?: string; [field: string]: unknown };
  if (def['when'] !== undefined && def.check !== 'max_length' && def.check !== 'min_length') unsupported('a conditional check');
  switch (def.check) {
    case 'greater_than': {
      const bound = def['value'] as number;
      return def['inclusive'] === true ? (value) => (value as number) >= bound : (value) => (value as number) > bound;
    }
    case 'less_than': {
      const bound = def['value'] as number;
      return def['inclusive'] === true ? (value) => (value as number) <= bound : (value) => (value as number) < bound;
    }
    case 'max_length': {
      const maximum = def['maximum'] as number;
      return (value) => (value as { length: number }).length <= maximum;
    }
    case 'min_length': {
      const minimum = def['minimum'] as number;
      return (value) => (value as { length: number }).length >= minimum;
    }
    case 'string_format': {
      if (def['format'] !== 'regex') return unsupported(`string format ${String(def['format'])}`);
      const pattern = def['pattern'] as RegExp;
      return (value) => {
        pattern.lastIndex = 0;
        return pattern.test(value as string);
      };
    }
    case 'custom': {
      const fn = def['fn'] as (value: unknown) => unknown;
      return (value) => accepted(fn(value));
    }
    default:
      return unsupported(`check ${String(def.check)}`);
  }
}

/** A refinement's verdict as zod reads it synchronously: truthy passes; a promise is left to zod (which refuses it). */
function accepted(verdict: unknown): boolean {
  return Boolean(verdict) && !(verdict instanceof Promise);
}
