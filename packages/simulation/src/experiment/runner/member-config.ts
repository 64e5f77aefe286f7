/**
 * A member's consumer configs: Kafka's defaults, then the group's configs, then the variant's, then the protocol
 * the variant names (group.protocol and its assignor), then what the runner itself needs (identity, where to read
 * from). The harness's test defaults (GroupClients) are deliberately not used: an experiment measures Kafka's
 * defaults unless the scenario says otherwise.
 */
import type { ConfigValueInput } from '@kactor/protocol';
import type { GroupSpec, Variant } from '../model.js';

/**
 * Kafka refuses, as its ConsumerConfig does, what a group protocol does not use. A scenario's group configs apply to
 * every variant compared, so the ones that belong to the other protocol are left out of the group's (never out of the
 * variant's own, where a mistake is refused by the client as it should be): `session.timeout.ms` written for the
 * classic variants does not stop the same group running under the consumer protocol.
 */
const CLASSIC_ONLY = new Set(['session.timeout.ms', 'heartbeat.interval.ms', 'partition.assignment.strategy']);
const CONSUMER_ONLY = new Set(['group.remote.assignor']);

export interface MemberIdentity {
  bootstrapServers: string;
  group: GroupSpec;
  variant: Variant;
  /** client.id, also the member's host on the simulated network. */
  clientId: string;
  /** group.instance.id when the group uses static membership. */
  instanceId?: string;
}

export function memberConfig({ bootstrapServers, group, variant, clientId, instanceId }: MemberIdentity): Record<string, ConfigValueInput> {
  const foreign = variant.protocol === 'consumer' ? CLASSIC_ONLY : CONSUMER_ONLY;
  const fromGroup = Object.fromEntries(Object.entries(group.consumerConfig).filter(([name]) => !foreign.has(name)));
  return {
    ...fromGroup,
    ...variant.consumerConfig,
    ...protocolConfig(variant),
    ...commitConfig(group),
    'bootstrap.servers': bootstrapServers,
    'group.id': group.name,
    'client.id': clientId,
    'auto.offset.reset': 'earliest',
    ...(instanceId === undefined ? {} : { 'group.instance.id': instanceId }),
  };
}

export function protocolConfig(variant: Variant): Record<string, ConfigValueInput> {
  switch (variant.protocol) {
    case 'classic-eager':
      return { 'group.protocol': 'classic', 'partition.assignment.strategy': variant.assignor ?? 'range' };
    case 'classic-cooperative':
      return { 'group.protocol': 'classic', 'partition.assignment.strategy': variant.assignor ?? 'cooperative-sticky' };
    case 'consumer':
      return { 'group.protocol': 'consumer', 'group.remote.assignor': variant.assignor ?? 'uniform' };
  }
}

/** Auto-commit only for the `auto` strategy; a transactional group reads only committed records. */
function commitConfig(group: GroupSpec): Record<string, ConfigValueInput> {
  if (group.commit === 'auto') return { 'enable.auto.commit': true };
  if (group.commit === 'transactional') return { 'enable.auto.commit': false, 'isolation.level': 'read_committed' };
  return { 'enable.auto.commit': false };
}
