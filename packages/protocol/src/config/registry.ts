import { adminConfig, type AdminConfig } from './admin-config.js';
import { brokerConfig, type BrokerConfig } from './broker-config.js';
import { consumerConfig, type ConsumerConfig } from './consumer-config.js';
import { producerConfig, type ProducerConfig } from './producer-config.js';
import type { ScopeDefinition } from './scope.js';
import { topicConfig, type TopicConfig } from './topic-config.js';
import { configScopes, type ConfigKeyDef, type ConfigScope } from './types.js';

/** The typed result of each scope. */
export interface ConfigByScope {
  broker: BrokerConfig;
  topic: TopicConfig;
  producer: ProducerConfig;
  consumer: ConsumerConfig;
  admin: AdminConfig;
}

const definitions: { readonly [S in ConfigScope]: ScopeDefinition<ConfigByScope[S]> } = {
  broker: brokerConfig,
  topic: topicConfig,
  producer: producerConfig,
  consumer: consumerConfig,
  admin: adminConfig,
};

/** Every declaration of a scope, by key, by name and in order. */
export function configDefinition<S extends ConfigScope>(scope: S): ScopeDefinition<ConfigByScope[S]> {
  return definitions[scope];
}

/** The declaration of a Kafka config name in a scope, if the scope has it. */
export function findConfigDef(scope: ConfigScope, name: string): ConfigKeyDef<unknown> | undefined {
  return definitions[scope].byName.get(name);
}

/** The scopes that declare a Kafka config name (`request.timeout.ms` is in four). */
export function scopesDeclaring(name: string): ConfigScope[] {
  return configScopes.filter((scope) => definitions[scope].byName.has(name));
}
