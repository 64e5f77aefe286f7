/** Who a setting belongs to; each scope is parsed on its own. */
export type ConfigScope = 'broker' | 'topic' | 'producer' | 'consumer' | 'admin';

export const configScopes: readonly ConfigScope[] = ['broker', 'topic', 'producer', 'consumer', 'admin'];

/** Kafka's `ConfigDef.Type` names (plus `enum`, Kafka's STRING with a `ValidString.in(...)` validator). */
export type ConfigType = 'int' | 'short' | 'long' | 'boolean' | 'string' | 'list' | 'enum';

export type ConfigUnit =
  | 'ms'
  | 'seconds'
  | 'minutes'
  | 'hours'
  | 'bytes'
  | 'messages'
  | 'records'
  | 'requests'
  | 'partitions'
  | 'replicas'
  | 'members'
  | 'connections'
  | 'percent';

/**
 * A value as a caller may supply it: Kafka's string form (`'5'`, `'true'`, `'a:1,b:2'`), or for
 * programmatic callers the same thing typed (`5`, `true`, `['a:1', 'b:2']`). `null`/`undefined` mean
 * "not set", so optional fields can be passed straight through.
 */
export type ConfigValueInput = string | number | boolean | readonly string[] | null | undefined;

export type ConfigEntries = Readonly<Record<string, ConfigValueInput>> | Iterable<readonly [string, ConfigValueInput]>;

/** `host:port`, e.g. an entry of `bootstrap.servers`. IPv6 hosts are written `[::1]:9092` and stored bare. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** One entry of `listeners`: `NAME://host:port`; an empty host binds every interface. */
export interface ListenerEndpoint {
  readonly listenerName: string;
  readonly host: string;
  readonly port: number;
}

/** Where a default comes from. */
export type ConfigDefault<T> =
  | { readonly kind: 'value'; readonly value: T }
  /** Kafka's `null` default that falls back to another setting (`log.roll.ms` → `log.roll.hours`). */
  | { readonly kind: 'derived'; readonly describe: string; derive(get: (name: string) => unknown): T }
  | { readonly kind: 'required' };

/**
 * The declaration of one setting, before it is placed in a scope. Methods (not function properties) so
 * that a `ConfigSpec<number>` can sit in a list of `ConfigSpec<unknown>`.
 */
export interface ConfigSpec<T> {
  /** Kafka's name, e.g. `session.timeout.ms`. */
  readonly name: string;
  readonly type: ConfigType;
  /** One line, in our words. */
  readonly doc: string;
  readonly unit?: ConfigUnit;
  readonly default: ConfigDefault<T>;
  /** What is accepted, in words: "a 32-bit integer >= 0", "one of: all, -1, 0, 1". */
  readonly expected: string;
  /** For enums and lists of enums: the allowed values, as Kafka spells them. */
  readonly validValues?: readonly string[];
  /** For numbers: the inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** `false`: kactor does not do this yet, and setting it is rejected (see `effectiveValue`). */
  readonly implemented: boolean;
  /** `false`: the value is accepted and kept but has no effect yet (e.g. retention). */
  readonly enforced: boolean;
  /** For `implemented: false`: what kactor actually does; setting exactly this value is accepted. */
  readonly effectiveValue?: T;
  /** Values of an implemented setting that kactor cannot honour yet (rejected like `implemented: false`). */
  readonly notImplementedValues?: readonly string[];
  /** Where kactor differs from Kafka or what to know, in a sentence or two. */
  readonly note?: string;
  /** Topic settings: the broker setting that supplies the default (Kafka's synonym). */
  readonly brokerSynonym?: string;
  /** Converts and checks a raw string; throws `ConfigValueProblem` with the reason. */
  parse(raw: string): T;
  /** The value in Kafka's string form (what `parse` accepts back). */
  format(value: T): string;
}

/** A declaration placed in its scope, with the camelCase key the typed result uses. */
export interface ConfigKeyDef<T> extends ConfigSpec<T> {
  readonly scope: ConfigScope;
  /** `session.timeout.ms` → `sessionTimeoutMs`. */
  readonly key: string;
}

/** Thrown by `ConfigSpec.parse`; the parser turns it into an `InvalidConfigValueError` naming the key. */
export class ConfigValueProblem extends Error {
  override readonly name = 'ConfigValueProblem';
}
