import type { Scenario, Variant } from '../model.js';
import { BUILTIN_VARIANT_NAMES, builtinVariant } from './builtin-variants.js';
import { formatPath, ScenarioError, type ScenarioIssue } from './errors.js';
import { protocolConflict } from './kafka-configs.js';
import { didYouMean } from './suggest.js';

/**
 * The variants a run compares: the scenario's own when no names are given, otherwise each name as the
 * scenario defines it or as a built-in. An unknown or repeated name, or a variant the groups' consumer
 * configs cannot run under (Kafka's consumer would refuse them), is a ScenarioError.
 */
export function resolveVariants(scenario: Scenario, names?: readonly string[]): Variant[] {
  if (names === undefined) return scenario.variants;
  const choices = [...new Set([...scenario.variants.map((variant) => variant.name), ...BUILTIN_VARIANT_NAMES])];
  const issues: ScenarioIssue[] = [];
  const variants: Variant[] = [];
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) {
      issues.push({ path: 'variants', message: `variant "${name}" is asked for twice` });
      return;
    }
    const variant = scenario.variants.find((candidate) => candidate.name === name) ?? builtinVariant(name);
    if (variant === undefined) {
      issues.push({ path: 'variants', message: `unknown variant "${name}"${didYouMean(name, choices)}; the choices are ${choices.join(', ')}` });
      return;
    }
    scenario.groups.forEach((group, groupIndex) => {
      if (group.variant !== undefined) return;
      const conflict = protocolConflict(group, variant);
      if (conflict !== undefined) issues.push({ path: formatPath(['groups', groupIndex, 'consumerConfig']), message: conflict.message });
    });
    variants.push(variant);
  });
  if (issues.length > 0) throw new ScenarioError(scenario.name, issues);
  return variants;
}
