import type { ConfigKeyDef, ConfigScope, ConfigSpec } from './types.js';

/** Kafka name → camelCase key: `session.timeout.ms` → `sessionTimeoutMs`. */
export function configKeyOf(name: string): string {
  return name.replace(/[.\-_]+([a-zA-Z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Every setting of one scope, typed by the scope's result type `T`. */
export interface ScopeDefinition<T> {
  readonly scope: ConfigScope;
  /** Declarations by camelCase key: one per field of `T`, so the compiler checks none is missing. */
  readonly keys: { readonly [K in keyof T]-?: ConfigKeyDef<T[K]> };
  /** Declarations in declaration order (the order of the docs). */
  readonly defs: readonly ConfigKeyDef<unknown>[];
  readonly byName: ReadonlyMap<string, ConfigKeyDef<unknown>>;
  /**
   * Rules across settings that Kafka applies when a client or broker starts (e.g. `delivery.timeout.ms`
   * >= `linger.ms` + `request.timeout.ms`): returns the config, possibly with a default adjusted, or
   * throws a `ConfigError`. `explicit` holds the Kafka names the caller set.
   */
  readonly finish: (config: T, explicit: ReadonlySet<string>) => T;
}

export function defineScope<T>(
  scope: ConfigScope,
  specs: { readonly [K in keyof T]-?: ConfigSpec<T[K]> },
  finish: (config: T, explicit: ReadonlySet<string>) => T = (config) => config,
): ScopeDefinition<T> {
  const keys: Record<string, ConfigKeyDef<unknown>> = {};
  const byName = new Map<string, ConfigKeyDef<unknown>>();
  for (const [key, spec] of Object.entries(specs) as Array<[string, ConfigSpec<unknown>]>) {
    // The camelCase key is derived from Kafka's name, never chosen: a mismatch is a declaration bug.
    if (configKeyOf(spec.name) !== key) throw new Error(`config ${spec.name} is declared under key ${key}, expected ${configKeyOf(spec.name)}`);
    if (byName.has(spec.name)) throw new Error(`config ${spec.name} is declared twice in scope ${scope}`);
    const def: ConfigKeyDef<unknown> = Object.freeze({ ...spec, scope, key });
    keys[key] = def;
    byName.set(spec.name, def);
  }
  return {
    scope,
    keys: Object.freeze(keys) as ScopeDefinition<T>['keys'],
    defs: Object.freeze([...byName.values()]),
    byName,
    finish,
  };
}
