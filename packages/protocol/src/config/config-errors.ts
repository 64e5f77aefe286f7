import { errorByName } from '../errors/errors.js';
import { KafkaProtocolError } from '../errors/protocol-error.js';
import type { ConfigScope } from './types.js';

/**
 * A setting that cannot be accepted. It is a `KafkaProtocolError` with Kafka's `INVALID_CONFIG` (40), as
 * Kafka answers a CreateTopics or AlterConfigs with bad configs, so a broker can send any config error
 * as data with `error.toWire()`; the subclasses say what went wrong for callers that need to know.
 */
export class ConfigError extends KafkaProtocolError {
  override name = 'ConfigError';
  /** Kafka's name of the setting, when one is at fault. */
  readonly configName: string | undefined;
  readonly scope: ConfigScope | undefined;

  constructor(message: string, details: { configName?: string; scope?: ConfigScope } = {}) {
    super(errorByName('INVALID_CONFIG'), message);
    this.configName = details.configName;
    this.scope = details.scope;
  }
}

/** A name that is not a setting of this scope. */
export class UnknownConfigError extends ConfigError {
  override name = 'UnknownConfigError';

  constructor(
    configName: string,
    scope: ConfigScope,
    /** Close matches in this scope, best first. */
    readonly suggestions: readonly string[],
    /** Other scopes that do declare this name (`linger.ms` given to a consumer). */
    readonly otherScopes: readonly ConfigScope[],
  ) {
    super(describeUnknown(configName, scope, suggestions, otherScopes), { configName, scope });
  }
}

function describeUnknown(configName: string, scope: ConfigScope, suggestions: readonly string[], otherScopes: readonly ConfigScope[]): string {
  let message = `unknown ${scope} config "${configName}"`;
  if (otherScopes.length > 0) message += ` (it is a ${otherScopes.join('/')} config)`;
  if (suggestions.length > 0) message += `; did you mean ${suggestions.map((name) => `"${name}"`).join(' or ')}?`;
  return message;
}

/** A value that does not parse or is out of range. */
export class InvalidConfigValueError extends ConfigError {
  override name = 'InvalidConfigValueError';

  constructor(
    configName: string,
    scope: ConfigScope,
    readonly value: string,
    /** What would have been accepted, e.g. "a 64-bit integer >= 0". */
    readonly expected: string,
    reason?: string,
  ) {
    super(`invalid value "${value}" for ${scope} config ${configName}: ${reason === undefined ? `expected ${expected}` : `${reason} (expected ${expected})`}`, {
      configName,
      scope,
    });
  }
}

/** A required setting that was not given. */
export class MissingConfigError extends ConfigError {
  override name = 'MissingConfigError';

  constructor(configName: string, scope: ConfigScope, expected: string) {
    super(`missing required ${scope} config ${configName} (${expected})`, { configName, scope });
  }
}

/** A setting (or value) that kactor declares but does not implement yet. */
export class UnsupportedConfigError extends ConfigError {
  override name = 'UnsupportedConfigError';

  constructor(
    configName: string,
    scope: ConfigScope,
    readonly value: string,
    detail: string,
  ) {
    super(`${scope} config ${configName}=${value} is not supported yet: ${detail}`, { configName, scope });
  }
}

/**
 * Two settings whose values do not go together (heartbeat.interval.ms must be below session.timeout.ms).
 * `configName` is the one to change: the one the user set, when the other holds its default. The message
 * names both values and says which is a default, so a user is never told about a value they did not give
 * without knowing where it came from.
 */
export class ConflictingConfigsError extends ConfigError {
  override name = 'ConflictingConfigsError';

  constructor(
    configName: string,
    scope: ConfigScope,
    /** The other setting of the pair. */
    readonly otherConfigName: string,
    message: string,
  ) {
    super(message, { configName, scope });
  }
}
