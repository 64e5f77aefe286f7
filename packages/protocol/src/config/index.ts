/**
 * Every setting kactor honours: Kafka's names, types, defaults and limits, in one place.
 *
 * ```ts
 * const producer = parseConfig('producer', parseKeyValues(['bootstrap.servers=localhost:9092', 'linger.ms=20']));
 * producer.lingerMs;        // 20
 * producer.deliveryTimeoutMs; // 120000, Kafka's default
 *
 * const broker = parseConfig('broker', { 'node.id': 0, 'process.roles': 'broker,controller' });
 * const topic = parseConfig('topic', { 'segment.bytes': '1048576' }, { defaults: topicDefaults(broker) });
 * ```
 *
 * docs/CONFIGURATION.md is generated from these declarations (`renderConfigurationDoc`).
 */
export type { AdminConfig } from './admin-config.js';
export type { BrokerConfig } from './broker-config.js';
export type { AssignorName, ConsumerConfig } from './consumer-config.js';
export type { ProducerConfig } from './producer-config.js';
export { topicDefaults, type TopicConfig } from './topic-config.js';
export { ConfigError, ConflictingConfigsError, InvalidConfigValueError, MissingConfigError, UnknownConfigError, UnsupportedConfigError } from './config-errors.js';
export { formatConfig, parseConfig, parseConfigOverrides, parseKeyValue, parseKeyValues, type ParseConfigOptions } from './parse.js';
export { configDefinition, findConfigDef, scopesDeclaring, type ConfigByScope } from './registry.js';
export { configKeyOf, type ScopeDefinition } from './scope.js';
export { renderConfigurationDoc } from './doc.js';
export {
  configScopes,
  type ConfigDefault,
  type ConfigEntries,
  type ConfigKeyDef,
  type ConfigScope,
  type ConfigSpec,
  type ConfigType,
  type ConfigUnit,
  type ConfigValueInput,
  type HostPort,
  type ListenerEndpoint,
} from './types.js';
export { formatHostPort, formatListener, INT_MAX_VALUE, LONG_MAX_VALUE } from './values.js';
export { formatQuorumVoter, parseQuorumVoter, type QuorumVoter } from './quorum-voters.js';
