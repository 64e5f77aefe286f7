import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse.js';
import { FULL_YAML, MINIMAL_YAML } from './test-scenarios.js';
import { resolveVariants } from './variants.js';

describe('resolveVariants', () => {
  const full = parseScenario(FULL_YAML, 'full.yaml');

  it("gives the scenario's variants when no names are asked for", () => {
    expect(resolveVariants(full).map((variant) => variant.name)).toEqual(['classic-eager', 'consumer-range']);
    expect(resolveVariants(parseScenario(MINIMAL_YAML)).map((variant) => `${variant.name}/${variant.assignor}`)).toEqual([
      'classic-eager/range',
      'classic-cooperative/cooperative-sticky',
      'consumer/uniform',
    ]);
  });

  it("takes the scenario's own variants and the built-ins by name, in the order asked", () => {
    const variants = resolveVariants(full, ['consumer', 'consumer-range', 'classic-cooperative']);
    expect(variants).toEqual([
      { name: 'consumer', protocol: 'consumer', assignor: 'uniform', consumerConfig: {}, brokerConfig: {} },
      { name: 'consumer-range', protocol: 'consumer', assignor: 'range', consumerConfig: {}, brokerConfig: { 'group.consumer.heartbeat.interval.ms': '1000' } },
      { name: 'classic-cooperative', protocol: 'classic-cooperative', assignor: 'cooperative-sticky', consumerConfig: {}, brokerConfig: {} },
    ]);
  });

  it('refuses an unknown or repeated name, listing the choices', () => {
    expect(() => resolveVariants(full, ['consumer-rang'])).toThrow(
      'full: variants: unknown variant "consumer-rang" (did you mean "consumer-range"?); the choices are classic-eager, consumer-range, classic-cooperative, consumer',
    );
    expect(() => resolveVariants(full, ['consumer', 'consumer'])).toThrow('variant "consumer" is asked for twice');
  });

  it("refuses a variant the groups' consumer configs cannot run under, as Kafka's consumer would", () => {
    const classicOnly = parseScenario(`${MINIMAL_YAML.replace('members: 3', 'members: 3\n    consumerConfig: {heartbeat.interval.ms: 1s}')}variants: [classic-eager]\n`);
    expect(resolveVariants(classicOnly, ['classic-cooperative'])).toHaveLength(1);
    expect(() => resolveVariants(classicOnly, ['consumer'])).toThrow(/groups\[0\]\.consumerConfig: under variant consumer, Kafka's consumer refuses this: heartbeat\.interval\.ms cannot be set when group\.protocol=consumer/);
  });
});
