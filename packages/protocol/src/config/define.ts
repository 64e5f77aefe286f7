import { ConfigValueProblem, type ConfigDefault, type ConfigSpec, type ConfigType, type ConfigUnit, type HostPort, type ListenerEndpoint } from './types.js';
import { formatHostPort, formatListener, formatNumber, parseBoolean, parseHostPort, parseInteger, parseListener, splitList, widthLabel, type IntegerWidth } from './values.js';

/**
 * Builders for setting declarations. Each returns a `ConfigSpec` whose `parse` does Kafka's type
 * conversion and validator in one step, so the declaration files read as a table:
 *
 * ```ts
 * lingerMs: long({ name: 'linger.ms', default: 5, min: 0, unit: 'ms', doc: '...' })
 * ```
 */

/** Marks a setting that has no default and must be given. */
export const required = Symbol('required');

/** Kafka's `null` default that falls back to other settings; `describe` says how, for the docs. */
export function derived<T>(describe: string, derive: (get: (name: string) => unknown) => T): ConfigDefault<T> {
  return { kind: 'derived', describe, derive };
}

type DefaultInput<T> = T | ConfigDefault<T> | typeof required;

interface CommonOptions<T> {
  name: string;
  doc: string;
  default: DefaultInput<T>;
  unit?: ConfigUnit;
  note?: string;
  /** `false` when kactor does not do this yet; give `effectiveValue` when kactor behaves as a fixed value. */
  implemented?: boolean;
  effectiveValue?: T;
  enforced?: boolean;
  notImplementedValues?: readonly string[];
  brokerSynonym?: string;
}

function toDefault<T>(input: DefaultInput<T>): ConfigDefault<T> {
  if (input === required) return { kind: 'required' };
  if (typeof input === 'object' && input !== null && 'kind' in input && (input.kind === 'derived' || input.kind === 'value' || input.kind === 'required')) {
    return input as ConfigDefault<T>;
  }
  return { kind: 'value', value: input as T };
}

function spec<T>(
  options: CommonOptions<T>,
  type: ConfigType,
  expected: string,
  parse: (raw: string) => T,
  format: (value: T) => string,
  extra: Pick<ConfigSpec<T>, 'validValues' | 'min' | 'max'> = {},
): ConfigSpec<T> {
  const result: ConfigSpec<T> = {
    name: options.name,
    type,
    doc: options.doc,
    default: toDefault(options.default),
    expected,
    implemented: options.implemented ?? true,
    enforced: options.enforced ?? true,
    parse,
    format,
    ...extra,
    ...(options.unit === undefined ? {} : { unit: options.unit }),
    ...(options.note === undefined ? {} : { note: options.note }),
    ...(options.effectiveValue === undefined ? {} : { effectiveValue: options.effectiveValue }),
    ...(options.notImplementedValues === undefined ? {} : { notImplementedValues: options.notImplementedValues }),
    ...(options.brokerSynonym === undefined ? {} : { brokerSynonym: options.brokerSynonym }),
  };
  if (result.default.kind === 'value' && result.default.value !== null) {
    // A declaration whose own default does not pass its validator is a programming error: fail at load.
    parse(format(result.default.value));
  }
  return result;
}

interface NumberOptions extends CommonOptions<number> {
  min?: number;
  max?: number;
}

function describeRange(width: IntegerWidth, min: number | undefined, max: number | undefined): string {
  const label = `a ${widthLabel(width)}`;
  if (min !== undefined && max !== undefined) return `${label} in [${formatNumber(min, width)}, ${formatNumber(max, width)}]`;
  if (min !== undefined) return `${label} >= ${formatNumber(min, width)}`;
  if (max !== undefined) return `${label} <= ${formatNumber(max, width)}`;
  return label;
}

function integer(width: IntegerWidth, options: NumberOptions): ConfigSpec<number> {
  const { min, max } = options;
  const expected = describeRange(width, min, max);
  const parse = (raw: string): number => {
    const value = parseInteger(raw, width);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) throw new ConfigValueProblem('out of range');
    return value;
  };
  return spec(options, width, expected, parse, (value) => formatNumber(value, width), {
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
  });
}

/** Kafka's INT (Java int, 32 bits). */
export const int = (options: NumberOptions): ConfigSpec<number> => integer('int', options);
/** Kafka's SHORT (16 bits). */
export const short = (options: NumberOptions): ConfigSpec<number> => integer('short', options);
/** Kafka's LONG (64 bits; see `LONG_MAX_VALUE` for how values beyond 2^53 are held). */
export const long = (options: NumberOptions): ConfigSpec<number> => integer('long', options);

export function boolean(options: CommonOptions<boolean>): ConfigSpec<boolean> {
  return spec(options, 'boolean', 'true or false', parseBoolean, String);
}

/**
 * Kafka's STRING options: `nonEmpty` is Kafka's `NonEmptyString` validator; `legalName` holds the value to
 * what Kafka allows in a name it uses as an id (`JoinGroupRequest.validateGroupInstanceId`, like a topic
 * name): at most 249 characters of ASCII letters and digits, '.', '_' and '-'.
 */
interface StringOptions {
  nonEmpty?: boolean;
  legalName?: boolean;
}

/** The longest name Kafka accepts where it validates one as a legal name (topic names, group.instance.id). */
export const LEGAL_NAME_MAX_CHARS = 249;
const legalNameCharacters = /^[a-zA-Z0-9._-]*$/;

/** Kafka's STRING, trimmed like Kafka does. */
export function string(options: CommonOptions<string> & StringOptions): ConfigSpec<string> {
  return spec(options, 'string', describeString(options), stringParser(options), (value) => value);
}

/** A STRING whose Kafka default is `null` (unset); a value, once given, is a string. */
export function nullableString(options: CommonOptions<string | null> & StringOptions): ConfigSpec<string | null> {
  return spec(options, 'string', describeString(options), stringParser(options), (value) => value ?? '');
}

function describeString(options: StringOptions): string {
  if (options.legalName === true) return `a non-empty string of at most ${LEGAL_NAME_MAX_CHARS} characters from [a-zA-Z0-9._-]`;
  return options.nonEmpty === true ? 'a non-empty string' : 'a string';
}

function stringParser(options: StringOptions): (raw: string) => string {
  return (raw) => {
    const text = raw.trim();
    if ((options.nonEmpty === true || options.legalName === true) && text === '') throw new ConfigValueProblem('must not be empty');
    if (options.legalName === true) {
      if (text.length > LEGAL_NAME_MAX_CHARS) throw new ConfigValueProblem(`is illegal, it can't be longer than ${LEGAL_NAME_MAX_CHARS} characters`);
      if (!legalNameCharacters.test(text)) throw new ConfigValueProblem("is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'");
    }
    return text;
  };
}

/** A STRING restricted to `values` (Kafka's `ValidString.in`, case-sensitive). */
export function enumOf<const V extends string>(options: CommonOptions<V> & { values: readonly V[] }): ConfigSpec<V> {
  const expected = `one of: ${options.values.join(', ')}`;
  const parse = (raw: string): V => {
    const text = raw.trim();
    const match = options.values.find((value) => value === text);
    if (match === undefined) throw new ConfigValueProblem('not an allowed value');
    return match;
  };
  return spec(options, 'enum', expected, parse, (value) => value, { validValues: options.values });
}

/**
 * A STRING with a fixed set of spellings, typed as the value each maps to: `acks` accepts `all`, `-1`,
 * `0`, `1` and yields -1, 0 or 1. `format` gives the first spelling of a value.
 */
export function mappedEnum<const V extends string | number>(
  options: CommonOptions<V> & { spellings: ReadonlyArray<readonly [spelling: string, value: V]> },
): ConfigSpec<V> {
  const spellings = options.spellings.map(([spelling]) => spelling);
  const bySpelling = new Map(options.spellings);
  const expected = `one of: ${spellings.join(', ')}`;
  const parse = (raw: string): V => {
    const value = bySpelling.get(raw.trim());
    if (value === undefined) throw new ConfigValueProblem('not an allowed value');
    return value;
  };
  const format = (value: V): string => options.spellings.find(([, mapped]) => mapped === value)?.[0] ?? String(value);
  return spec(options, 'enum', expected, parse, format, { validValues: spellings });
}

interface ListOptions<T> extends CommonOptions<readonly T[]> {
  /** What one item is, in words ("host:port"). */
  item: string;
  parseItem: (raw: string) => T;
  formatItem: (value: T) => string;
  minItems?: number;
  maxItems?: number;
  /** Reject the same item twice (compared in formatted form). */
  unique?: boolean;
  validValues?: readonly string[];
}

/** Kafka's LIST: comma-separated items, each parsed by `parseItem`. */
export function list<T>(options: ListOptions<T>): ConfigSpec<readonly T[]> {
  const { minItems, maxItems } = options;
  let expected = `a comma-separated list of ${options.item}`;
  if (minItems !== undefined && maxItems !== undefined) expected += minItems === maxItems ? ` (exactly ${minItems})` : ` (${minItems} to ${maxItems} entries)`;
  else if (minItems !== undefined) expected += ` (at least ${minItems})`;
  else if (maxItems !== undefined) expected += ` (at most ${maxItems})`;
  const parse = (raw: string): readonly T[] => {
    const items = splitList(raw).map((item) => {
      if (item === '') throw new ConfigValueProblem('contains an empty entry');
      return options.parseItem(item);
    });
    const count = `has ${items.length} ${items.length === 1 ? 'entry' : 'entries'}`;
    if (minItems !== undefined && items.length < minItems) throw new ConfigValueProblem(count);
    if (maxItems !== undefined && items.length > maxItems) throw new ConfigValueProblem(count);
    if (options.unique === true) {
      const seen = new Set<string>();
      for (const item of items) {
        const text = options.formatItem(item);
        if (seen.has(text)) throw new ConfigValueProblem(`lists ${text} twice`);
        seen.add(text);
      }
    }
    return Object.freeze(items);
  };
  const format = (value: readonly T[]): string => value.map(options.formatItem).join(',');
  return spec(options, 'list', expected, parse, format, options.validValues === undefined ? {} : { validValues: options.validValues });
}

/** A LIST whose items come from `values` (Kafka's `ValidList.in`). */
export function enumList<const V extends string>(options: Omit<ListOptions<V>, 'item' | 'parseItem' | 'formatItem'> & { values: readonly V[] }): ConfigSpec<readonly V[]> {
  const parseItem = (raw: string): V => {
    const match = options.values.find((value) => value === raw);
    if (match === undefined) throw new ConfigValueProblem(`"${raw}" is not one of: ${options.values.join(', ')}`);
    return match;
  };
  return list({ ...options, item: `values from: ${options.values.join(', ')}`, parseItem, formatItem: (value) => value, validValues: options.values });
}

/** A LIST of `host:port` (`bootstrap.servers`, `controller.quorum.bootstrap.servers`). */
export function hostPortList(options: Omit<ListOptions<HostPort>, 'item' | 'parseItem' | 'formatItem'>): ConfigSpec<readonly HostPort[]> {
  return list({ ...options, item: 'host:port', parseItem: parseHostPort, formatItem: formatHostPort });
}

/** Kafka's `listeners`: a LIST of `NAME://host:port` with distinct names. */
export function listenerList(options: Omit<ListOptions<ListenerEndpoint>, 'item' | 'parseItem' | 'formatItem'>): ConfigSpec<readonly ListenerEndpoint[]> {
  const parseDistinct = (raw: string): ListenerEndpoint => parseListener(raw);
  const inner = list({ ...options, item: 'NAME://host:port', parseItem: parseDistinct, formatItem: formatListener });
  const parse = (raw: string): readonly ListenerEndpoint[] => {
    const endpoints = inner.parse(raw);
    const names = new Set<string>();
    for (const endpoint of endpoints) {
      if (names.has(endpoint.listenerName)) throw new ConfigValueProblem(`listener name ${endpoint.listenerName} appears twice`);
      names.add(endpoint.listenerName);
    }
    return endpoints;
  };
  return { ...inner, parse };
}
