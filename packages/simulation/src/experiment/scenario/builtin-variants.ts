import type { ProtocolName, Variant } from '../model.js';

/**
 * The built-in variants: each protocol with Kafka's usual assignor for it. `classic-eager` runs `range`
 * (eager, every member gives up everything each rebalance), `classic-cooperative` runs
 * `cooperative-sticky` (KIP-429), and `consumer` asks the coordinator for `uniform` (KIP-848's default).
 */
const DEFAULT_ASSIGNORS: Readonly<Record<ProtocolName, string>> = {
  'classic-eager': 'range',
  'classic-cooperative': 'cooperative-sticky',
  consumer: 'uniform',
};

export const BUILTIN_VARIANT_NAMES: readonly ProtocolName[] = ['classic-eager', 'classic-cooperative', 'consumer'];

export function defaultAssignor(protocol: ProtocolName): string {
  return DEFAULT_ASSIGNORS[protocol];
}

/** A fresh copy of a built-in variant, or undefined for another name. */
export function builtinVariant(name: string): Required<Variant> | undefined {
  if (!(BUILTIN_VARIANT_NAMES as readonly string[]).includes(name)) return undefined;
  const protocol = name as ProtocolName;
  return { name, protocol, assignor: DEFAULT_ASSIGNORS[protocol], consumerConfig: {}, brokerConfig: {} };
}
