/**
 * What the real-process runner takes from @kactor/simulation's experiment modules, in one place.
 *
 * TODO(issue 15): once packages/simulation/src/index.ts exports the experiment model, TraceAnalyzer,
 * applyCase and drawValue, import them from '@kactor/simulation' here and drop the relative paths and the
 * dynamic loading below. Until then the model's types come straight from its file, and the scenario and
 * analysis modules (written in parallel) are loaded when a run starts, so this package type-checks while
 * they are still missing.
 */
import type { Random } from '@kactor/runtime';
import type { Case, Drawn, RunResult, Scenario, TimelineAction, TimelineEvent, Variant, GroupSpec, ProducerSpec, KeyDistribution, MemberSelector } from '../../../../packages/simulation/src/experiment/model.js';
import type { TraceEvent } from '../../../../packages/simulation/src/experiment/trace.js';

export type { Case, Drawn, GroupSpec, KeyDistribution, MemberSelector, ProducerSpec, RunResult, Scenario, TimelineAction, TimelineEvent, TraceEvent, Variant };

/** The analysis module's public result (analysis/index.ts, agreed signature). */
export interface RunAnalysis {
  metrics: Record<string, number>;
  rebalances: RunResult['rebalances'];
  series: RunResult['series'];
  violations: RunResult['violations'];
  traceHash: string;
}

export interface TraceAnalyzerLike {
  observe(event: TraceEvent): void;
  finish(wallMs: number): RunAnalysis;
}

export interface ExperimentModules {
  createAnalyzer(options: { durationMs: number }): TraceAnalyzerLike;
  applyCase(scenario: Scenario, scenarioCase: Case): Scenario;
  drawValue(value: Drawn, random: Random): number;
  /** Built-in protocol names or the scenario's own variants; undefined for an unknown name. */
  resolveVariant(scenario: Scenario, name: string): Variant | undefined;
}

interface LoadedExports {
  resolveVariants?: (scenario: Scenario, names?: readonly string[]) => Variant[];
  TraceAnalyzer?: new (options: { durationMs: number }) => TraceAnalyzerLike;
  applyCase?: ExperimentModules['applyCase'];
  drawValue?: ExperimentModules['drawValue'];
}

/** The experiment module files, relative to this one, for as long as the package does not export them. */
const moduleFiles = ['../../../../packages/simulation/src/experiment/analysis/index.js', '../../../../packages/simulation/src/experiment/scenario/index.js'];

let loaded: Promise<ExperimentModules> | undefined;

/** The analyzer and scenario helpers: from the package's exports when it has them, else from their files. */
export function experimentModules(): Promise<ExperimentModules> {
  loaded ??= loadExperimentModules();
  return loaded;
}

async function loadExperimentModules(): Promise<ExperimentModules> {
  const found: LoadedExports = { ...((await import('@kactor/simulation')) as LoadedExports) };
  for (const file of moduleFiles) {
    if (found.TraceAnalyzer !== undefined && found.applyCase !== undefined && found.drawValue !== undefined && found.resolveVariants !== undefined) break;
    try {
      const module = (await import(new URL(file, import.meta.url).href)) as LoadedExports;
      found.TraceAnalyzer ??= module.TraceAnalyzer;
      found.applyCase ??= module.applyCase;
      found.drawValue ??= module.drawValue;
      found.resolveVariants ??= module.resolveVariants;
    } catch {
      // Not written yet: what it provides is reported missing below, when it is needed.
    }
  }
  const { TraceAnalyzer, applyCase, drawValue, resolveVariants } = found;
  if (TraceAnalyzer === undefined) throw new Error('the experiment analysis module (TraceAnalyzer) is not available in @kactor/simulation');
  return {
    createAnalyzer: (options) => new TraceAnalyzer(options),
    applyCase: (scenario, scenarioCase) => {
      if (applyCase === undefined) throw new Error('the scenario module (applyCase) is not available in @kactor/simulation');
      return applyCase(scenario, scenarioCase);
    },
    drawValue: drawValue ?? drawFixedOrMean,
    resolveVariant: (scenario, name) => {
      // The scenario module says why a name is unknown or its configs cannot run (a ScenarioError): that is passed on.
      if (resolveVariants === undefined) return builtinOrOwnVariant(scenario, name);
      return resolveVariants(scenario, [name])[0];
    },
  };
}

/** Used only while the scenario module's drawValue is missing: a fixed value, else a uniform draw or the mean. */
function drawFixedOrMean(value: Drawn, random: Random): number {
  if (typeof value === 'number') return value;
  if ('uniform' in value) return value.uniform[0] + random.next() * (value.uniform[1] - value.uniform[0]);
  if ('exponential' in value) return value.exponential.meanMs;
  return value.normal.meanMs;
}

/** Used only while the scenario module's resolveVariants is missing. */
function builtinOrOwnVariant(scenario: Scenario, name: string): Variant | undefined {
  const defined = scenario.variants.find((variant) => variant.name === name);
  if (defined !== undefined) return defined;
  return ['classic-eager', 'classic-cooperative', 'consumer'].includes(name) ? { name, protocol: name as Variant['protocol'] } : undefined;
}
