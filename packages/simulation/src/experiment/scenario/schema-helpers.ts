import { z } from 'zod';
import { DURATION_HINT, parseDurationMs } from './durations.js';
import { describeValue } from './errors.js';
import { didYouMean } from './suggest.js';

/**
 * Zod building blocks for the scenario schema, each saying in its messages what it accepts, so the loader
 * can report `must be a duration (...), got "5 minutes"` instead of zod's generic wording.
 */

/** Marks the list of known keys in an unknown-key message; `toRawIssues` splits it into one issue per key. */
export const KNOWN_KEYS_MARK = 'expected one of: ';

/** An object that refuses keys it does not declare, naming the ones it has. */
export function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key; ${KNOWN_KEYS_MARK}${known.join(', ')}` : undefined),
  });
}

type Context = z.RefinementCtx;

function addIssue(context: Context, message: string, path: PropertyKey[] = []): void {
  context.addIssue({ code: 'custom', message, path });
}

/** Copies a nested parse's issues into the enclosing one (their paths stay relative to the value). */
function copyIssues(context: Context, issues: readonly z.core.$ZodIssue[]): void {
  for (const issue of issues) context.addIssue({ ...issue } as z.core.$ZodRawIssue);
}

/** A time or duration in ms: a number or a string with its unit. */
export function duration(options: { positive?: boolean } = {}) {
  return z.unknown().transform((value, context): number => {
    if (value === undefined) {
      addIssue(context, `is required (${DURATION_HINT})`);
      return z.NEVER;
    }
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      addIssue(context, `must be a duration (${DURATION_HINT}), got ${describeValue(value)}`);
      return z.NEVER;
    }
    if (ms < 0 || (options.positive === true && ms === 0)) {
      addIssue(context, `must be ${options.positive === true ? 'more than 0' : '0 or more'}, got ${describeValue(value)}`);
      return z.NEVER;
    }
    return ms;
  });
}

const DRAWS = {
  uniform: strict({
    uniform: z
      .tuple([duration(), duration()], { error: 'must be a list of two times, [low, high]' })
      .refine(([low, high]) => low <= high, { message: 'the low end must not be above the high end' }),
  }),
  exponential: strict({ exponential: strict({ meanMs: duration({ positive: true }) }) }),
  normal: strict({ normal: strict({ meanMs: duration(), stddevMs: duration() }) }),
};

const DRAWN_HINT = 'a time, or one of {uniform: [low, high]}, {exponential: {meanMs}}, {normal: {meanMs, stddevMs}}';

type DrawnValue = number | { uniform: [number, number] } | { exponential: { meanMs: number } } | { normal: { meanMs: number; stddevMs: number } };

/** A time fixed in the file or drawn from the run's seed. */
export function drawn() {
  const fixed = duration();
  return z.unknown().transform((value, context): DrawnValue => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      if (value !== undefined && parseDurationMs(value) === undefined) {
        addIssue(context, `must be ${DRAWN_HINT}, got ${describeValue(value)}`);
        return z.NEVER;
      }
      return pick(fixed, value, context);
    }
    const keys = Object.keys(value);
    const kind = keys.length === 1 ? (keys[0] as string) : '';
    if (!Object.hasOwn(DRAWS, kind)) {
      const hint = keys.length === 1 ? didYouMean(kind, Object.keys(DRAWS)) : '';
      addIssue(context, `must be ${DRAWN_HINT}, got a map with ${keys.length === 0 ? 'no keys' : keys.map((key) => `"${key}"`).join(', ')}${hint}`);
      return z.NEVER;
    }
    return pick(DRAWS[kind as keyof typeof DRAWS] as z.ZodType<DrawnValue>, value, context);
  });
}

/** Parses `value` with `schema` inside a transform, copying its issues. */
export function pick<Output>(schema: z.ZodType<Output>, value: unknown, context: Context): Output {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  copyIssues(context, result.error.issues);
  return z.NEVER;
}

/**
 * One of several object shapes chosen by a discriminating key (`action`, `kind`): an unknown or missing
 * choice is reported on that key with the choices and a "did you mean".
 */
export function oneOf<Choices extends Record<string, z.ZodType>>(key: string, choices: Choices) {
  const names = Object.keys(choices);
  return z.unknown().transform((value, context): z.output<Choices[keyof Choices]> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      addIssue(context, `must be a map with "${key}", got ${describeValue(value)}`);
      return z.NEVER;
    }
    const choice = (value as Record<string, unknown>)[key];
    if (typeof choice !== 'string' || !Object.hasOwn(choices, choice)) {
      const got = choice === undefined ? 'is required' : `${describeValue(choice)} is not one`;
      const hint = typeof choice === 'string' ? didYouMean(choice, names) : '';
      addIssue(context, `${got}; ${key} must be one of ${names.join(', ')}${hint}`, [key]);
      return z.NEVER;
    }
    return pick(choices[choice] as z.ZodType<z.output<Choices[keyof Choices]>>, value, context);
  });
}

/** A name users type on the command line (`--variants a,b`, `--case big`): no commas or spaces. */
export const NAME = z
  .string({ error: (issue) => `must be a name, got ${describeValue(issue.input)}` })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, { error: (issue) => `must be a name of letters, digits, ".", "_", "-" or "/", got ${describeValue(issue.input)}` });

export const positiveInteger = () => z.int({ error: (issue) => `must be a positive integer, got ${describeValue(issue.input)}` }).min(1, { error: (issue) => `must be a positive integer, got ${describeValue(issue.input)}` });

/** A config value by Kafka name: YAML gives numbers and booleans their own types, Kafka takes them as strings. */
const configValue = z.union([z.string(), z.number(), z.boolean()], { error: (issue) => `must be a string, a number or true/false, got ${describeValue(issue.input)}` });

/**
 * A Kafka config whose name ends in `.ms` takes a duration string too (`session.timeout.ms: 10s`), turned
 * into the milliseconds Kafka expects; anything else goes to Kafka's own parser as written.
 */
function withDurations(config: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(config).map(([name, value]) => {
      if (!name.endsWith('.ms') || typeof value !== 'string' || /^\s*-?\d+\s*$/.test(value)) return [name, value];
      return [name, parseDurationMs(value) ?? value];
    }),
  );
}

/** Client configs keep their YAML types (the model's `string | number | boolean`). */
export const clientConfig = () => z.record(z.string(), configValue).transform(withDurations).default({});

/** Broker and topic configs are strings, as in Kafka's properties files. */
export const stringConfig = () =>
  z
    .record(z.string(), configValue)
    .transform((config) => Object.fromEntries(Object.entries(withDurations(config)).map(([name, value]) => [name, String(value)])))
    .default({});
