import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnknownExperimentError, builtinExperiments, firstSentence, loadExperiment } from './builtins.js';
import { PROTOCOL_NAMES, type Scenario } from './model.js';
import { METRIC_NAMES } from './metrics.js';
import { applyCase, parseScenario, resolveVariants } from './scenario/index.js';

/** The seven experiments issue 15 asks for, in name order. */
const EXPECTED = ['broker-failover', 'failure-detection', 'kip-848-scale-out', 'mass-restart', 'rebalance-protocols', 'slow-poller', 'static-rolling-restart'];

function quick(scenario: Scenario): Scenario {
  return applyCase(scenario, { name: 'quick', set: scenario.quick });
}

/** The fixed times of the timeline (drawn ones are checked by their upper bound). */
function latestEventMs(scenario: Scenario): number {
  return Math.max(0, ...scenario.timeline.map((event) => (typeof event.at === 'number' ? event.at : 'uniform' in event.at ? event.at.uniform[1] : 0)));
}

const temporary = mkdtempSync(join(tmpdir(), 'kactor-builtins-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe('builtinExperiments', () => {
  it('lists the seven built-ins by file name, each with the question it answers', () => {
    const builtins = builtinExperiments();
    expect(builtins.map((builtin) => builtin.name)).toEqual(EXPECTED);
    for (const builtin of builtins) {
      expect(builtin.file.endsWith(`experiments/${builtin.name}.yaml`)).toBe(true);
      expect(builtin.description).toMatch(/^[A-Z].*\?$/);
      expect(builtin.description).not.toContain('\n');
    }
  });
});

describe.each(EXPECTED)('the built-in %s', (name) => {
  const { scenario, source } = loadExperiment(name);

  it('is named after its file and replayed by its name', () => {
    expect(scenario.name).toBe(name);
    expect(source).toBe(name);
  });

  it('compares variants that resolve, and reports only known metrics', () => {
    const variants = resolveVariants(scenario);
    expect(variants.length).toBeGreaterThanOrEqual(2);
    for (const variant of variants) expect(PROTOCOL_NAMES).toContain(variant.protocol);
    for (const metric of scenario.metrics) expect(METRIC_NAMES).toContain(metric);
  });

  it('applies every case to a valid scenario that holds its whole timeline', () => {
    for (const scenarioCase of scenario.cases) {
      const applied = applyCase(scenario, scenarioCase);
      expect(applied.name).toBe(name);
      expect(latestEventMs(applied)).toBeLessThan(applied.durationMs);
    }
  });

  it('has a quick form, cases included (the command applies them over it), that is small and holds its timeline', () => {
    const small = quick(scenario);
    expect(Object.keys(scenario.quick).length).toBeGreaterThan(0);
    expect(small.durationMs).toBeLessThan(scenario.durationMs);
    for (const form of [small, ...small.cases.map((scenarioCase) => applyCase(small, scenarioCase))]) {
      expect(form.durationMs).toBeLessThanOrEqual(120_000);
      expect(latestEventMs(form)).toBeLessThan(form.durationMs);
      for (const group of form.groups) expect(group.members).toBeLessThanOrEqual(5);
    }
  });
});

describe('loadExperiment', () => {
  it('loads a scenario file by path, replayed by that path', () => {
    const file = join(temporary, 'mine.json');
    const { scenario } = loadExperiment('slow-poller');
    writeFileSync(file, JSON.stringify({ ...scenario, name: 'mine' }));
    const loaded = loadExperiment(file);
    expect(loaded.source).toBe(file);
    expect(loaded.scenario.name).toBe('mine');
    expect(loaded.scenario.timeline).toEqual(scenario.timeline);
  });

  it('refuses an unknown name, listing the built-ins', () => {
    const attempt = () => loadExperiment('rebalance-protocol');
    expect(attempt).toThrow(UnknownExperimentError);
    expect(attempt).toThrow(/rebalance-protocols/);
    try {
      attempt();
    } catch (error) {
      expect((error as UnknownExperimentError).builtins).toEqual(EXPECTED);
    }
  });

  it('refuses a path to no file', () => {
    expect(() => loadExperiment(join(temporary, 'missing.yaml'))).toThrow(UnknownExperimentError);
  });
});

describe('docs/EXPERIMENTS.md', () => {
  it("has a complete example scenario that the loader accepts, cases and quick included", () => {
    const docs = readFileSync(new URL('../../../../docs/EXPERIMENTS.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const scenario = parseScenario(example as string, 'docs/EXPERIMENTS.md');
    expect(scenario.name).toBe('my-scenario');
    expect(resolveVariants(scenario).map((variant) => variant.name)).toEqual(['classic-cooperative', 'consumer', 'consumer-fast-heartbeat']);
    expect(quick(scenario).groups[0]?.members).toBe(3);
    for (const scenarioCase of scenario.cases) expect(applyCase(scenario, scenarioCase).cases).toHaveLength(2);
  });
});

describe('firstSentence', () => {
  it('ends at the first full stop, question or exclamation mark that ends a sentence, on one line', () => {
    expect(firstSentence('How long\n  does it take? Then more.')).toBe('How long does it take?');
    expect(firstSentence('Version 3.0 changed it. More.')).toBe('Version 3.0 changed it.');
    expect(firstSentence('No ending')).toBe('No ending');
  });
});
