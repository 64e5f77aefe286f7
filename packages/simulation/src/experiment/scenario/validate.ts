import type { Scenario, TimelineEvent } from '../model.js';
import { applyOverrides } from './cases.js';
import { crossCheck } from './cross-checks.js';
import { formatPath, type PathSegment, type RawIssue } from './errors.js';
import { checkKafkaConfigs } from './kafka-configs.js';
import { scenarioSchema } from './schema.js';
import { toRawIssues } from './zod-issues.js';

export interface Validation {
  /** Set when there are no issues. */
  scenario?: Scenario;
  issues: RawIssue[];
}

/**
 * Validates a scenario read from a file (or a scenario with a case's overrides): the schema with its
 * defaults, then the rules across fields and the Kafka configs, then (for a file) each case and `quick`,
 * so a case that would break is reported when the file is loaded rather than halfway through a run.
 */
export function validateScenario(input: unknown, options: { checkCases: boolean }): Validation {
  const parsed = scenarioSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { issues: toRawIssues(parsed.error.issues) };
  // The schema checks that each member event selects its members one way (superRefine), which its static type does not show.
  const scenario: Scenario = { ...parsed.data, timeline: parsed.data.timeline as TimelineEvent[] };
  const issues = [...crossCheck(scenario), ...checkKafkaConfigs(scenario)];
  if (issues.length === 0 && options.checkCases) {
    scenario.cases.forEach((scenarioCase, index) => issues.push(...checkOverrides(scenario, scenarioCase.set, ['cases', index, 'set'])));
    issues.push(...checkOverrides(scenario, scenario.quick, ['quick']));
    if (issues.length === 0 && !Object.hasOwn(scenario.quick, 'cases')) issues.push(...checkCasesOverQuick(scenario));
  }
  return issues.length === 0 ? { scenario, issues } : { issues };
}

/**
 * `--quick` applies the cases over the quick run, so each case must fit it too (a pause longer than the
 * quick run would not). A `quick` that replaces the cases is checked by the schema alone.
 */
function checkCasesOverQuick(scenario: Scenario): RawIssue[] {
  const quick = validateScenario(applyOverrides(scenario, scenario.quick).input, { checkCases: false }).scenario;
  if (quick === undefined) return [];
  return scenario.cases.flatMap((scenarioCase, index) =>
    checkOverrides(quick, scenarioCase.set, ['cases', index, 'set']).map((issue) => ({ path: issue.path, message: `over the quick run, ${issue.message}` })),
  );
}

/** A case's (or quick's) problems, each placed on the override that caused it. */
function checkOverrides(scenario: Scenario, set: Readonly<Record<string, unknown>>, at: readonly PathSegment[]): RawIssue[] {
  const applied = applyOverrides(scenario, set);
  const issues = applied.issues.map((issue) => ({ path: [...at, ...issue.path], message: issue.message }));
  if (issues.length > 0) return issues;
  const result = validateScenario(applied.input, { checkCases: false });
  return result.issues.map((issue) => {
    const cause = [...applied.resolved].find(([, path]) => path.every((segment, index) => issue.path[index] === segment) || issue.path.every((segment, index) => path[index] === segment));
    return { path: cause === undefined ? [...at] : [...at, cause[0]], message: `with this override, ${formatPath(issue.path) || 'the scenario'}: ${issue.message}` };
  });
}
