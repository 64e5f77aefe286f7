import type { Case, Scenario } from '../model.js';
import { formatPath, ScenarioError, type PathSegment, type RawIssue } from './errors.js';
import { didYouMean } from './suggest.js';
import { validateScenario } from './validate.js';

/** Maps whose keys are Kafka config names: the rest of a dotted path after them is one name (`consumerConfig.session.timeout.ms`). */
const CONFIG_MAPS = new Set(['config', 'consumerConfig', 'brokerConfig']);

export interface AppliedOverrides {
  /** The scenario with the overrides set, not yet validated. */
  input: unknown;
  issues: RawIssue[];
  /** Each override's dotted path as the path it set in the scenario. */
  resolved: Map<string, PathSegment[]>;
}

/**
 * Sets dotted-path overrides on a copy of the scenario. A path names list items by index or by name
 * (`groups.app.members`, `topics.orders.partitions`, `producers.0.recordsPerSecond`, a producer also by
 * its topic when only one writes to it); after a config map the rest is one Kafka name. A null value
 * removes an optional field. Values are written as in the file (`"30s"` for a time).
 */
export function applyOverrides(scenario: Scenario, set: Readonly<Record<string, unknown>>): AppliedOverrides {
  const input = structuredClone(scenario) as unknown as Record<string, unknown>;
  const issues: RawIssue[] = [];
  const resolved = new Map<string, PathSegment[]>();
  for (const [dotted, value] of Object.entries(set)) {
    const result = setPath(input, dotted, value);
    if (typeof result === 'string') issues.push({ path: [dotted], message: result });
    else resolved.set(dotted, result);
  }
  return { input, issues, resolved };
}

/** Sets one override; returns the path it set, or why it could not. */
function setPath(root: Record<string, unknown>, dotted: string, value: unknown): PathSegment[] | string {
  const segments = dotted.split('.');
  const path: PathSegment[] = [];
  let container: unknown = root;
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as string;
    const last = index === segments.length - 1;
    const previous = path[path.length - 1];
    if (Array.isArray(container)) {
      const position = itemIndex(container, segment, path);
      if (typeof position === 'string') return position;
      path.push(position);
      if (last) {
        if (value === null) return `${formatPath(path)}: a list item cannot be removed by a case; set the whole list instead`;
        container[position] = value;
        return path;
      }
      container = container[position];
      continue;
    }
    if (typeof container !== 'object' || container === null) return `${formatPath(path)} is ${JSON.stringify(container)}, which has no "${segment}"`;
    const object = container as Record<string, unknown>;
    if (typeof previous === 'string' && CONFIG_MAPS.has(previous)) {
      const name = segments.slice(index).join('.');
      path.push(name);
      if (value === null) delete object[name];
      else object[name] = value;
      return path;
    }
    path.push(segment);
    if (last) {
      // An unknown last key is left to the schema, which names the keys it knows.
      if (value === null) delete object[segment];
      else object[segment] = value;
      return path;
    }
    if (object[segment] === undefined) return `"${dotted}": ${formatPath(path)} does not exist${didYouMean(segment, Object.keys(object))}`;
    container = object[segment];
  }
  return path;
}

/** A list item by index, by name, or (producers) by the topic only it writes to. */
function itemIndex(items: unknown[], segment: string, path: readonly PathSegment[]): number | string {
  if (/^\d+$/.test(segment)) {
    const index = Number(segment);
    if (index >= items.length) return `${formatPath(path)} has ${items.length} item(s), so there is no index ${index}`;
    return index;
  }
  const named = items.findIndex((item) => (item as { name?: unknown } | null)?.name === segment);
  if (named >= 0) return named;
  const byTopic = items.flatMap((item, index) => ((item as { topic?: unknown } | null)?.topic === segment && path[path.length - 1] === 'producers' ? [index] : []));
  if (byTopic.length === 1) return byTopic[0] as number;
  const names = items.flatMap((item) => {
    const name = (item as { name?: unknown } | null)?.name;
    return typeof name === 'string' ? [name] : [];
  });
  if (byTopic.length > 1) return `${formatPath(path)}: ${byTopic.length} producers write to "${segment}"; use an index`;
  return `${formatPath(path)} has no item named "${segment}"${didYouMean(segment, names)}${names.length > 0 ? `; the names are ${names.join(', ')}` : ''}`;
}

/** The scenario with a case's overrides, validated again; a path that does not exist or a value that does not fit is a ScenarioError. */
export function applyCase(scenario: Scenario, scenarioCase: Case): Scenario {
  const label = `case "${scenarioCase.name}"`;
  const { input, issues } = applyOverrides(scenario, scenarioCase.set);
  if (issues.length > 0) throw new ScenarioError(label, issues.map((issue) => ({ path: '', message: issue.message })));
  const result = validateScenario(input, { checkCases: false });
  if (result.scenario === undefined) throw new ScenarioError(label, result.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })));
  return result.scenario;
}
