/**
 * What a real run needs decided before it starts: the scenario with its case applied, each group's variant,
 * the brokers' configs, and the parts of the scenario real processes do not reproduce (said, not hidden).
 */
import type { ExperimentModules, GroupSpec, Scenario, Variant } from './simulation-adapter.js';

const builtinProtocols = new Set<string>(['classic-eager', 'classic-cooperative', 'consumer']);

/** A variant by name: one the scenario defines, else a built-in protocol with its default assignor. */
export function variantNamed(scenario: Scenario, name: string): Variant {
  const defined = scenario.variants.find((variant) => variant.name === name);
  if (defined !== undefined) return defined;
  if (builtinProtocols.has(name)) return { name, protocol: name as Variant['protocol'] };
  throw new Error(`unknown variant ${name}: the scenario defines ${scenario.variants.map((variant) => variant.name).join(', ') || 'none'}, and the built-in ones are ${[...builtinProtocols].join(', ')}`);
}

export interface RealRunPlan {
  scenario: Scenario;
  variant: Variant;
  variantOf(group: GroupSpec): Variant;
  brokerConfig: Record<string, string>;
  /** Parts of the scenario the run cannot reproduce, in words. */
  notes: string[];
}

export function planRealRun(scenario: Scenario, key: { case?: string; variant: string }, modules: Pick<ExperimentModules, 'applyCase'>): RealRunPlan {
  let applied = scenario;
  if (key.case !== undefined) {
    const scenarioCase = scenario.cases.find((candidate) => candidate.name === key.case);
    if (scenarioCase === undefined) throw new Error(`unknown case ${key.case}: the scenario has ${scenario.cases.map((candidate) => candidate.name).join(', ') || 'none'}`);
    applied = modules.applyCase(scenario, scenarioCase);
  }
  const variant = variantNamed(applied, key.variant);
  const variantOf = (group: GroupSpec) => (group.variant === undefined ? variant : variantNamed(applied, group.variant));
  const brokerConfig = { ...applied.cluster.config, ...variant.brokerConfig };
  const notes: string[] = [];
  if (applied.cluster.latencyMs > 0) notes.push(`cluster.latencyMs ${applied.cluster.latencyMs}: real processes talk over 127.0.0.1 with its own latency`);
  for (const group of applied.groups) {
    if (group.processingMs !== 0) notes.push(`groups.${group.name}.processingMs: the console consumer spends no time per record`);
    if (group.commit === 'transactional') notes.push(`groups.${group.name}.commit transactional: the console consumer commits synchronously instead`);
  }
  return { scenario: applied, variant, variantOf, brokerConfig, notes };
}
