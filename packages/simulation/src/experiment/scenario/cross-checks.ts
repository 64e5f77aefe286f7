import type { Drawn, Scenario, TimelineEvent } from '../model.js';
import type { PathSegment, RawIssue } from './errors.js';
import { builtinVariant } from './builtin-variants.js';
import { formatDurationMs as time } from '../report/format-values.js';
import { didYouMean } from './suggest.js';

/**
 * The rules that span fields: names that refer to other parts of the scenario exist, broker numbers and
 * member indexes are in range, and every time falls within the run.
 */
export function crossCheck(scenario: Scenario): RawIssue[] {
  const issues: RawIssue[] = [];
  const report = (path: readonly PathSegment[], message: string): void => {
    issues.push({ path, message });
  };
  const topicNames = scenario.topics.map((topic) => topic.name);
  const groupNames = scenario.groups.map((group) => group.name);
  const variantNames = scenario.variants.map((variant) => variant.name);

  uniqueNames(topicNames, 'topics', 'topic', report);
  uniqueNames(groupNames, 'groups', 'group', report);
  uniqueNames(variantNames, 'variants', 'variant', report);
  uniqueNames(
    scenario.cases.map((scenarioCase) => scenarioCase.name),
    'cases',
    'case',
    report,
  );

  const { brokers, controllers } = scenario.cluster;
  if (controllers !== undefined && controllers > brokers) report(['cluster', 'controllers'], `${controllers} controllers need as many brokers, and cluster.brokers is ${brokers}`);
  scenario.topics.forEach((topic, index) => {
    if (topic.replicationFactor > brokers) report(['topics', index, 'replicationFactor'], `${topic.replicationFactor} replicas need as many brokers, and cluster.brokers is ${brokers}`);
  });

  const knownTopic = (name: string, path: readonly PathSegment[]): void => {
    if (!topicNames.includes(name)) report(path, `no topic "${name}" in topics${didYouMean(name, topicNames)}`);
  };
  scenario.groups.forEach((group, index) => {
    group.topics.forEach((topic, topicIndex) => knownTopic(topic, ['groups', index, 'topics', topicIndex]));
    if (group.variant !== undefined && !variantNames.includes(group.variant) && builtinVariant(group.variant) === undefined) {
      const choices = [...new Set([...variantNames, 'classic-eager', 'classic-cooperative', 'consumer'])];
      report(['groups', index, 'variant'], `no variant "${group.variant}" among the scenario's variants or the built-ins${didYouMean(group.variant, choices)}; the choices are ${choices.join(', ')}`);
    }
  });

  const { durationMs } = scenario;
  scenario.producers.forEach((producer, index) => {
    knownTopic(producer.topic, ['producers', index, 'topic']);
    if (producer.startMs >= durationMs) report(['producers', index, 'startMs'], `${time(producer.startMs)} is not before the end of the run (durationMs ${time(durationMs)})`);
    if (producer.stopMs !== undefined) {
      if (producer.stopMs > durationMs) report(['producers', index, 'stopMs'], `${time(producer.stopMs)} is after the end of the run (durationMs ${time(durationMs)})`);
      if (producer.stopMs <= producer.startMs) report(['producers', index, 'stopMs'], `${time(producer.stopMs)} is not after startMs (${time(producer.startMs)})`);
    }
  });

  scenario.timeline.forEach((event, index) => checkEvent(scenario, event, ['timeline', index], report));
  return issues;
}

type Report = (path: readonly PathSegment[], message: string) => void;

function uniqueNames(names: readonly string[], list: string, what: string, report: Report): void {
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) report([list, index, 'name'], `${what} "${name}" is defined twice (first at ${list}[${names.indexOf(name)}])`);
  });
}

/** The largest value a Drawn time is expected to take: the fixed value, a uniform draw's high end, or a distribution's mean. */
function expectedBound(value: Drawn): { ms: number; what: string } {
  if (typeof value === 'number') return { ms: value, what: `${time(value)}` };
  if ('uniform' in value) return { ms: value.uniform[1], what: `the high end, ${time(value.uniform[1])},` };
  if ('exponential' in value) return { ms: value.exponential.meanMs, what: `the mean, ${time(value.exponential.meanMs)},` };
  return { ms: value.normal.meanMs, what: `the mean, ${time(value.normal.meanMs)},` };
}

function checkEvent(scenario: Scenario, event: TimelineEvent, path: readonly PathSegment[], report: Report): void {
  const { durationMs } = scenario;
  const at = expectedBound(event.at);
  if (at.ms > durationMs) report([...path, 'at'], `${at.what} is after the end of the run (durationMs ${time(durationMs)})`);
  if ('durationMs' in event && event.durationMs !== undefined) {
    const length = expectedBound(event.durationMs);
    if (length.ms > durationMs) report([...path, 'durationMs'], `${length.what} is longer than the run (durationMs ${time(durationMs)})`);
  }
  for (const key of ['downMs', 'intervalMs'] as const) {
    if (key in event && (event as Record<string, unknown>)[key] as number > durationMs) report([...path, key], `is longer than the run (durationMs ${time(durationMs)})`);
  }
  if ('group' in event) checkMembers(scenario, event, path, report);
  if ('broker' in event && typeof event.broker === 'number' && event.broker >= scenario.cluster.brokers) {
    report([...path, 'broker'], `there is no broker ${event.broker}: cluster.brokers is ${scenario.cluster.brokers} (brokers 0..${scenario.cluster.brokers - 1})`);
  }
  if ('between' in event) {
    event.between.forEach((side, sideIndex) => side.forEach((node, nodeIndex) => {
      const problem = nodeProblem(scenario, node);
      if (problem !== undefined) report([...path, 'between', sideIndex, nodeIndex], problem);
    }));
  }
  if (event.action === 'topic.addPartitions') {
    const topic = scenario.topics.find((candidate) => candidate.name === event.topic);
    const topicNames = scenario.topics.map((candidate) => candidate.name);
    if (topic === undefined) report([...path, 'topic'], `no topic "${event.topic}" in topics${didYouMean(event.topic, topicNames)}`);
    else if (event.partitions <= topic.partitions) {
      report([...path, 'partitions'], `is the new partition count (as kafka-topics --alter --partitions) and must be more than the topic's ${topic.partitions}`);
    }
  }
}

/** The group exists, and a member index or count fits the members it has (at the start plus every join). */
function checkMembers(scenario: Scenario, event: TimelineEvent & { group: string }, path: readonly PathSegment[], report: Report): void {
  const group = scenario.groups.find((candidate) => candidate.name === event.group);
  if (group === undefined) {
    const names = scenario.groups.map((candidate) => candidate.name);
    report([...path, 'group'], `no group "${event.group}" in groups${didYouMean(event.group, names)}`);
    return;
  }
  const joined = joinedLater(scenario, group.name);
  const most = group.members + joined;
  const members = `group "${group.name}" has ${group.members} member(s)${joined > 0 ? ` and ${joined} more join later` : ''}`;
  if ('member' in event && typeof event.member === 'number' && event.member >= most) report([...path, 'member'], `there is no member ${event.member}: ${members} (indexes 0..${most - 1})`);
  if ('count' in event && event.action !== 'member.join' && typeof event.count === 'number' && event.count > most) report([...path, 'count'], `${event.count} is more members than there are: ${members}`);
}

const BROKER_NODE = /^broker-(\d+)$/;
const MEMBER_NODE = /^(.+)\/member-(\d+)$/;

/** Why a node name in `between` names nothing, or undefined when it is fine. */
function nodeProblem(scenario: Scenario, node: string): string | undefined {
  const forms = 'a node is broker-<n>, <group>/member-<index> or a group name (all its members)';
  const broker = BROKER_NODE.exec(node);
  if (broker !== null) {
    const number = Number(broker[1]);
    return number < scenario.cluster.brokers ? undefined : `there is no ${node}: cluster.brokers is ${scenario.cluster.brokers}`;
  }
  const groupNames = scenario.groups.map((group) => group.name);
  const member = MEMBER_NODE.exec(node);
  if (member !== null) {
    const group = scenario.groups.find((candidate) => candidate.name === member[1]);
    if (group === undefined) return `no group "${member[1]}" in groups${didYouMean(member[1] as string, groupNames)}`;
    const most = group.members + joinedLater(scenario, group.name);
    return Number(member[2]) < most ? undefined : `there is no ${node}: group "${group.name}" has at most ${most} member(s) (indexes 0..${most - 1})`;
  }
  if (groupNames.includes(node)) return undefined;
  const choices = [...groupNames, ...Array.from({ length: scenario.cluster.brokers }, (_, index) => `broker-${index}`)];
  return `"${node}" is not a node${didYouMean(node, choices)}; ${forms}`;
}

/** Members the timeline adds to a group (their indexes follow the first members'). */
function joinedLater(scenario: Scenario, groupName: string): number {
  return scenario.timeline.reduce((sum, event) => sum + (event.action === 'member.join' && event.group === groupName ? event.count : 0), 0);
}
