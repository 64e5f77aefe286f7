/**
 * A member's consumer configs: Kafka's defaults, then the group's configs, then the variant's, then the protocol
 * the variant names (group.protocol and its assignor), then what the runner itself needs (identity, where to read
 * from). The harness's test defaults (GroupClients) are deliberately not used: an experiment measures Kafka's
 * defaults unless the scenario says otherwise.
 */
import type { ConfigValueInput } from '@kactor/protocol';
import type { GroupSpec, Variant } from '../model.js';

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
  // Configs one protocol does not use (session.timeout.ms under the consumer protocol) are refused by the client, as
  // Kafka's are; the scenario loader refuses them first, so classic timers belong in the classic variants' configs.
  return {
    ...group.consumerConfig,
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
