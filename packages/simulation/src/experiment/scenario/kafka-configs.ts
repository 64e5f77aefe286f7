import { ConfigError, parseConfig, parseConfigOverrides, type ConfigScope, type ConfigValueInput } from '@kactor/protocol';
import type { GroupSpec, ProtocolName, Scenario, Variant } from '../model.js';
import type { PathSegment, RawIssue } from './errors.js';
import { builtinVariant } from './builtin-variants.js';

/**
 * The Kafka configs in a scenario, checked as Kafka would check them: each name and value by its scope's
 * declaration (@kactor/protocol's config registry, the same the brokers and clients use), the names the
 * experiment sets itself refused, and a group's consumer configs against its variant's protocol, which
 * Kafka's consumer refuses to combine (`session.timeout.ms` under `group.protocol=consumer`...).
 */

/** Consumer configs the runner sets from the scenario, and where to say them instead. */
const RUNNER_CONSUMER_CONFIGS: Readonly<Record<string, string>> = {
  'group.id': "the group's name is its group.id",
  'group.protocol': "the variant's protocol sets it",
  'partition.assignment.strategy': "the variant's assignor sets it (define a variant with assignor)",
  'group.remote.assignor': "the variant's assignor sets it (define a variant with protocol consumer and assignor)",
  'group.instance.id': 'set staticMembership: true (each member gets <group>-<index>)',
  'bootstrap.servers': 'the simulated cluster sets it',
  'client.id': 'members are named <group>/member-<index>',
};

const RUNNER_PRODUCER_CONFIGS: Readonly<Record<string, string>> = {
  'bootstrap.servers': 'the simulated cluster sets it',
};

const RUNNER_BROKER_CONFIGS: Readonly<Record<string, string>> = {
  'node.id': 'brokers are numbered 0..cluster.brokers-1',
  'process.roles': 'cluster.controllers sets which brokers are controllers',
  'controller.quorum.voters': 'cluster.controllers sets it',
  listeners: 'the simulated network sets it',
};

/** The assignors each protocol can run: a classic eager variant must not name the cooperative assignor, or it would not be eager. */
const ASSIGNORS: Readonly<Record<ProtocolName, readonly string[]>> = {
  'classic-eager': ['range', 'roundrobin', 'sticky'],
  'classic-cooperative': ['cooperative-sticky'],
  consumer: ['uniform', 'range'],
};

type Config = Readonly<Record<string, ConfigValueInput>>;

export function checkKafkaConfigs(scenario: Scenario): RawIssue[] {
  const issues: RawIssue[] = [];
  checkNames('broker', scenario.cluster.config, ['cluster', 'config'], RUNNER_BROKER_CONFIGS, issues);
  scenario.topics.forEach((topic, index) => checkNames('topic', topic.config, ['topics', index, 'config'], {}, issues));
  scenario.producers.forEach((producer, index) => checkNames('producer', producer.config, ['producers', index, 'config'], RUNNER_PRODUCER_CONFIGS, issues));
  scenario.variants.forEach((variant, index) => {
    checkNames('broker', variant.brokerConfig ?? {}, ['variants', index, 'brokerConfig'], RUNNER_BROKER_CONFIGS, issues);
    checkNames('consumer', variant.consumerConfig ?? {}, ['variants', index, 'consumerConfig'], RUNNER_CONSUMER_CONFIGS, issues);
    const assignors = ASSIGNORS[variant.protocol];
    if (variant.assignor !== undefined && !assignors.includes(variant.assignor)) {
      issues.push({ path: ['variants', index, 'assignor'], message: `"${variant.assignor}" cannot run ${variant.protocol}: choose ${assignors.join(' or ')}` });
    }
  });
  scenario.groups.forEach((group, index) => {
    const path = ['groups', index, 'consumerConfig'];
    const before = issues.length;
    checkNames('consumer', group.consumerConfig, path, RUNNER_CONSUMER_CONFIGS, issues);
    checkAutoCommit(group, path, issues);
    checkOffsetReset(group, path, issues);
    if (issues.length > before) return;
    // A group that pins its variant runs only that one; the others run under every variant of the scenario.
    const pinned = group.variant === undefined ? undefined : (scenario.variants.find((variant) => variant.name === group.variant) ?? builtinVariant(group.variant));
    for (const variant of pinned === undefined ? scenario.variants : [pinned]) {
      const conflict = protocolConflict(group, variant);
      if (conflict !== undefined) {
        const variantIndex = scenario.variants.indexOf(variant);
        const inVariant = variantIndex >= 0 && Object.hasOwn(variant.consumerConfig ?? {}, conflict.configName);
        const inGroup = Object.hasOwn(group.consumerConfig, conflict.configName);
        const at = inVariant ? ['variants', variantIndex, 'consumerConfig', conflict.configName] : inGroup ? [...path, conflict.configName] : path;
        issues.push({ path: at, message: inVariant ? `${conflict.message} (for group ${group.name})` : conflict.message });
        break;
      }
    }
  });
  return issues;
}

/** Each name and value checked alone, so every bad one is reported at its own line. */
function checkNames(scope: ConfigScope, config: Config, path: readonly PathSegment[], setByRunner: Readonly<Record<string, string>>, issues: RawIssue[]): void {
  for (const [name, value] of Object.entries(config)) {
    const reason = setByRunner[name];
    if (reason !== undefined) {
      issues.push({ path: [...path, name], message: `${name} cannot be set here: ${reason}` });
      continue;
    }
    try {
      parseConfigOverrides(scope, { [name]: value });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push({ path: [...path, name], message: error.message });
    }
  }
}

/** `commit` says how the members commit; an enable.auto.commit that says otherwise would contradict it. */
function checkAutoCommit(group: GroupSpec, path: readonly PathSegment[], issues: RawIssue[]): void {
  const setting = group.consumerConfig['enable.auto.commit'];
  if (setting === undefined) return;
  const autoCommit = setting === true || setting === 'true';
  if (autoCommit !== (group.commit === 'auto')) {
    issues.push({ path: [...path, 'enable.auto.commit'], message: `enable.auto.commit=${String(setting)} contradicts commit: ${group.commit} (commit sets it; leave it out)` });
  }
}

/**
 * Members start from the earliest offset whatever the scenario says (the runner's member-config.ts), so
 * that every acknowledged record can be checked as consumed; another value would be silently ignored.
 */
function checkOffsetReset(group: GroupSpec, path: readonly PathSegment[], issues: RawIssue[]): void {
  const setting = group.consumerConfig['auto.offset.reset'];
  if (setting !== undefined && setting !== 'earliest') {
    issues.push({ path: [...path, 'auto.offset.reset'], message: `auto.offset.reset is always earliest in an experiment, so the checkers can see every acknowledged record consumed; got ${String(setting)}` });
  }
}

/**
 * The consumer configs a member of `group` would start with under `variant`, without its names and
 * bootstrap servers: the group's, then the variant's (the model's order, as the runner composes them),
 * then the protocol and assignor.
 */
export function variantConsumerConfig(group: GroupSpec, variant: Variant): Record<string, string | number | boolean> {
  const protocol = variant.protocol === 'consumer' ? 'consumer' : 'classic';
  const assignorName = variant.protocol === 'consumer' ? 'group.remote.assignor' : 'partition.assignment.strategy';
  const config: Record<string, string | number | boolean> = { ...group.consumerConfig, ...variant.consumerConfig, 'group.protocol': protocol };
  if (variant.assignor !== undefined) config[assignorName] = variant.assignor;
  config['enable.auto.commit'] = group.commit === 'auto';
  return config;
}

/** What Kafka's consumer would refuse about this group's configs under this variant, if anything. */
export function protocolConflict(group: GroupSpec, variant: Variant): { configName: string; message: string } | undefined {
  try {
    parseConfig('consumer', { ...variantConsumerConfig(group, variant), 'bootstrap.servers': 'broker-0:9092', 'group.id': group.name });
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const configName = error.configName ?? '';
    return { configName, message: `under variant ${variant.name}, Kafka's consumer refuses this: ${error.message}` };
  }
}
