/**
 * What a real run needs decided before it starts: the scenario with its case applied, each group's variant,
 * the brokers' configs, and the parts of the scenario real processes do not reproduce (said, not hidden).
 */
import type { ExperimentModules, GroupSpec, Scenario, Variant } from './simulation-adapter.js';

/** A variant by name, as the simulated runner resolves it; an unknown name is an error. */
function variantNamed(scenario: Scenario, name: string, modules: Pick<ExperimentModules, 'resolveVariant'>): Variant {
  const variant = modules.resolveVariant(scenario, name);
  if (variant === undefined) throw new Error(`unknown variant ${name}: the scenario defines ${scenario.variants.map((candidate) => candidate.name).join(', ') || 'none'}, and the built-in ones are classic-eager, classic-cooperative, consumer`);
  return variant;
}

export interface RealRunPlan {
  scenario: Scenario;
  variant: Variant;
  variantOf(group: GroupSpec): Variant;
  brokerConfig: Record<string, string>;
  /** Parts of the scenario the run cannot reproduce, in words. */
  notes: string[];
}

export function planRealRun(scenario: Scenario, key: { case?: string; variant: string }, modules: Pick<ExperimentModules, 'applyCase' | 'resolveVariant'>): RealRunPlan {
  let applied = scenario;
  if (key.case !== undefined) {
    const scenarioCase = scenario.cases.find((candidate) => candidate.name === key.case);
    if (scenarioCase === undefined) throw new Error(`unknown case ${key.case}: the scenario has ${scenario.cases.map((candidate) => candidate.name).join(', ') || 'none'}`);
    applied = modules.applyCase(scenario, scenarioCase);
  }
  const variant = variantNamed(applied, key.variant, modules);
  const variantOf = (group: GroupSpec) => (group.variant === undefined ? variant : variantNamed(applied, group.variant, modules));
  const brokerConfig = { ...applied.cluster.config, ...variant.brokerConfig };
  // The console consumer prints no request counts: the requests and heartbeats metrics stay 0 in a real run.
  const notes: string[] = ['metrics requests and heartbeats: the console consumers do not report their requests'];
  if (applied.cluster.latencyMs > 0) notes.push(`cluster.latencyMs ${applied.cluster.latencyMs}: real processes talk over 127.0.0.1 with its own latency`);
  for (const group of applied.groups) {
    if (group.processingMs !== 0) notes.push(`groups.${group.name}.processingMs: the console consumer spends no time per record`);
    if (group.commit === 'transactional') notes.push(`groups.${group.name}.commit transactional: the console consumer commits synchronously instead`);
  }
  return { scenario: applied, variant, variantOf, brokerConfig, notes };
}
