import { ConfigError, InvalidConfigValueError, MissingConfigError, UnknownConfigError, UnsupportedConfigError } from './config-errors.js';
import { configDefinition, scopesDeclaring, type ConfigByScope } from './registry.js';
import { closeMatches } from './suggest.js';
import { ConfigValueProblem, type ConfigEntries, type ConfigKeyDef, type ConfigScope, type ConfigValueInput } from './types.js';

export interface ParseConfigOptions<T> {
  /**
   * Accept settings declared `implemented: false` (and unimplemented values), for work on those
   * features. Off by default, so a user who sets one learns at once that it would have no effect.
   */
  allowUnimplemented?: boolean;
  /** Defaults that replace the declared ones, e.g. `topicDefaults(brokerConfig)` for a topic's settings. */
  defaults?: Partial<T>;
}

/**
 * Parses the settings of one scope into its typed config: camelCase keys, every default filled in
 * (Kafka's, or `options.defaults`), cross-setting rules applied. Throws a `ConfigError` subclass for the
 * first problem: an unknown name (`UnknownConfigError`, with close matches), a bad value
 * (`InvalidConfigValueError`, with what is accepted), a missing required setting (`MissingConfigError`),
 * or a setting kactor does not implement yet (`UnsupportedConfigError`).
 *
 * ```ts
 * const producer = parseConfig('producer', { 'bootstrap.servers': 'localhost:9092', 'linger.ms': '20' });
 * producer.lingerMs; // 20
 * producer.acks;     // -1 (Kafka's default "all")
 * ```
 */
export function parseConfig<S extends ConfigScope>(
  scope: S,
  entries: ConfigEntries,
  options: ParseConfigOptions<ConfigByScope[S]> = {},
): ConfigByScope[S] {
  const definition = configDefinition(scope);
  const overrides = parseConfigOverrides(scope, entries, options) as Record<string, unknown>;
  const defaults = (options.defaults ?? {}) as Record<string, unknown>;
  const resolved = new Map<string, unknown>();
  const resolving = new Set<string>();

  const resolve = (def: ConfigKeyDef<unknown>): unknown => {
    if (resolved.has(def.key)) return resolved.get(def.key);
    if (resolving.has(def.key)) throw new Error(`config ${def.name} has a default that depends on itself`);
    resolving.add(def.key);
    const value = valueOf(def);
    resolving.delete(def.key);
    resolved.set(def.key, value);
    return value;
  };
  const get = (name: string): unknown => {
    const def = definition.byName.get(name);
    if (def === undefined) throw new Error(`a ${scope} default refers to undeclared config ${name}`);
    return resolve(def);
  };
  const valueOf = (def: ConfigKeyDef<unknown>): unknown => {
    if (Object.hasOwn(overrides, def.key)) return overrides[def.key];
    if (!def.implemented && def.effectiveValue !== undefined) return def.effectiveValue;
    if (defaults[def.key] !== undefined) return defaults[def.key];
    switch (def.default.kind) {
      case 'value':
        return def.default.value;
      case 'derived':
        return def.default.derive(get);
      case 'required':
        throw new MissingConfigError(def.name, scope, def.expected);
    }
  };

  for (const def of definition.defs) resolve(def);
  const explicit = new Set(definition.defs.filter((def) => Object.hasOwn(overrides, def.key)).map((def) => def.name));
  const config = Object.fromEntries(resolved) as unknown as ConfigByScope[S];
  return Object.freeze(definition.finish(config, explicit)) as ConfigByScope[S];
}

/**
 * Parses and checks only the settings given, without defaults: what a topic overrides, for storing
 * and describing it. Keys are camelCase; a name given twice keeps its last value (as repeated CLI flags).
 */
export function parseConfigOverrides<S extends ConfigScope>(
  scope: S,
  entries: ConfigEntries,
  options: Pick<ParseConfigOptions<ConfigByScope[S]>, 'allowUnimplemented'> = {},
): Partial<ConfigByScope[S]> {
  const definition = configDefinition(scope);
  const values: Record<string, unknown> = {};
  for (const [name, input] of entriesOf(entries)) {
    if (input === null || input === undefined) continue;
    const def = definition.byName.get(name);
    if (def === undefined) throw new UnknownConfigError(name, scope, closeMatches(name, definition.byName.keys()), scopesDeclaring(name));
    const raw = rawValue(def, scope, input);
    let value: unknown;
    try {
      value = def.parse(raw);
    } catch (problem) {
      if (problem instanceof ConfigValueProblem) throw new InvalidConfigValueError(name, scope, raw, def.expected, problem.message);
      throw problem;
    }
    if (options.allowUnimplemented !== true) assertImplemented(def, scope, raw, value);
    values[def.key] = value;
  }
  return Object.freeze(values) as Partial<ConfigByScope[S]>;
}

/** Splits a CLI argument such as `--producer-property linger.ms=5` into `['linger.ms', '5']`. */
export function parseKeyValue(argument: string): [name: string, value: string] {
  const separator = argument.indexOf('=');
  const name = separator < 0 ? '' : argument.slice(0, separator).trim();
  if (name === '') throw new ConfigError(`expected name=value, got "${argument}"`);
  return [name, argument.slice(separator + 1)];
}

/** `parseKeyValue` over repeated arguments, ready for `parseConfig`. */
export function parseKeyValues(argumentList: Iterable<string>): Array<[name: string, value: string]> {
  return Array.from(argumentList, parseKeyValue);
}

/** A typed config back in Kafka's names and string forms (for the wire, logs and `describe`); null (unset) values are left out. */
export function formatConfig<S extends ConfigScope>(scope: S, config: Partial<ConfigByScope[S]>): Record<string, string> {
  const formatted: Record<string, string> = {};
  const values = config as Record<string, unknown>;
  for (const def of configDefinition(scope).defs) {
    const value = values[def.key];
    if (value !== undefined && value !== null) formatted[def.name] = def.format(value);
  }
  return formatted;
}

function entriesOf(entries: ConfigEntries): Iterable<readonly [string, ConfigValueInput]> {
  if (typeof (entries as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') return entries as Iterable<readonly [string, ConfigValueInput]>;
  return Object.entries(entries as Readonly<Record<string, ConfigValueInput>>);
}

function rawValue(def: ConfigKeyDef<unknown>, scope: ConfigScope, input: NonNullable<ConfigValueInput>): string {
  if (typeof input === 'string') return input;
  if (typeof input === 'boolean') return String(input);
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new InvalidConfigValueError(def.name, scope, String(input), def.expected, 'not a finite number');
    return String(input);
  }
  if (Array.isArray(input)) return input.join(',');
  throw new InvalidConfigValueError(def.name, scope, String(input), def.expected, `a ${typeof input} cannot be a config value`);
}

function assertImplemented(def: ConfigKeyDef<unknown>, scope: ConfigScope, raw: string, value: unknown): void {
  const detail = def.note ?? 'declared for a later kactor release';
  if (!def.implemented) {
    const harmless = def.effectiveValue !== undefined && def.format(def.effectiveValue) === def.format(value);
    if (!harmless) throw new UnsupportedConfigError(def.name, scope, raw.trim(), detail);
  }
  if (def.notImplementedValues?.includes(def.format(value)) === true) throw new UnsupportedConfigError(def.name, scope, raw.trim(), detail);
}
