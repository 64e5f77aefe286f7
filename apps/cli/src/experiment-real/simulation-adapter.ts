/**
 * What the real-process runner takes from @kactor/simulation's experiment modules, in one place.
 */
import type { Random } from '@kactor/runtime';
import { applyCase, drawValue, firstUnformedGroup, GROUP_FORMATION_MAX_MS, resolveVariants, TraceAnalyzer } from '@kactor/simulation';
import type { Case, DescribeGroups, Drawn, FormingGroup, FormingMember, GroupSpec, KeyDistribution, MemberHoldings, MemberSelector, ProducerSpec, RunResult, Scenario, TimelineAction, TimelineEvent, Variant, TraceEvent } from '@kactor/simulation';

export type { Case, DescribeGroups, Drawn, FormingGroup, FormingMember, GroupSpec, KeyDistribution, MemberHoldings, MemberSelector, ProducerSpec, RunResult, Scenario, TimelineAction, TimelineEvent, TraceEvent, Variant };
// The simulated runner's formation check and its bound: a real run's groups form as a simulated run's do.
export { firstUnformedGroup, GROUP_FORMATION_MAX_MS };

/** The analyzer as the runner uses it: every trace event in order, then the analysis. */
export interface TraceAnalyzerLike {
  observe(event: TraceEvent): void;
  finish(wallMs: number): Pick<RunResult, 'metrics' | 'rebalances' | 'series' | 'violations' | 'traceHash'>;
}

/** The scenario and analysis helpers a real run needs, passed in so that the run's planning can be tested without them. */
export interface ExperimentModules {
  createAnalyzer(options: { durationMs: number }): TraceAnalyzerLike;
  applyCase(scenario: Scenario, scenarioCase: Case): Scenario;
  drawValue(value: Drawn, random: Random): number;
  /** Built-in protocol names or the scenario's own variants; an unknown name, or configs the groups cannot run under, is a ScenarioError. */
  resolveVariant(scenario: Scenario, name: string): Variant | undefined;
}

export const experimentModules: ExperimentModules = {
  createAnalyzer: (options) => new TraceAnalyzer(options),
  applyCase,
  drawValue,
  resolveVariant: (scenario, name) => resolveVariants(scenario, [name])[0],
};
