import { describe, expect, it } from 'vitest';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { parseScenario } from './parse.js';
import { MINIMAL_YAML } from './test-scenarios.js';

/** The issues parsing `text` reports (failing the test when it parses). */
function issuesOf(text: string, file = 'my-scenario.yaml'): ScenarioIssue[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues;
    throw error;
  }
  throw new Error('the scenario parsed, but it should not have');
}

/** `line:column path: message` for each issue, to compare in one line. */
function placed(text: string): string[] {
  return issuesOf(text).map((issue) => `${issue.line ?? '?'}:${issue.column ?? '?'} ${issue.path}: ${issue.message}`);
}

/** MINIMAL_YAML with more appended. */
const withMore = (more: string): string => MINIMAL_YAML + more;

describe('parseScenario errors', () => {
  it('points at the line and column, one issue per line of the message', () => {
    const text = MINIMAL_YAML.replace('members: 3', 'members: -3').replace('partitions: 6', 'partitions: many');
    let caught: unknown;
    try {
      parseScenario(text, 'my-scenario.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    const error = caught as ScenarioError;
    expect(error.file).toBe('my-scenario.yaml');
    expect(error.message.split('\n')).toEqual([
      'my-scenario.yaml:5:5: topics[0].partitions: must be a positive integer, got "many"',
      'my-scenario.yaml:9:5: groups[0].members: must be a positive integer, got -3',
    ]);
    expect(error.issues[1]).toEqual({ path: 'groups[0].members', line: 9, column: 5, message: 'must be a positive integer, got -3' });
  });

  it('reports YAML and JSON syntax errors at their line', () => {
    const [yamlIssue] = issuesOf('name: x\ntopics: [a, b\ngroups: []\n');
    expect(yamlIssue?.message).toMatch(/^not valid YAML or JSON: /);
    expect(yamlIssue?.line).toBeGreaterThanOrEqual(2);
    const [jsonIssue] = issuesOf('{\n  "name": "x",\n  "name": "y"\n}', 'x.json');
    expect(jsonIssue).toMatchObject({ line: 3, column: 3 });
    expect(jsonIssue?.message).toMatch(/unique/);
  });

  it('refuses an empty file and one that is not a map', () => {
    expect(issuesOf('')[0]?.message).toMatch(/the scenario is empty: it needs at least name, durationMs, topics and groups/);
    expect(issuesOf('- a\n- b\n')[0]?.message).toMatch(/not a map of settings/);
  });

  it('names unknown keys with a "did you mean" and the keys it knows', () => {
    expect(placed(MINIMAL_YAML.replace('members: 3', 'memberz: 3'))).toEqual([
      '7:5 groups[0].members: is required',
      expect.stringMatching(/^9:5 groups\[0\]\.memberz: unknown key "memberz" \(did you mean "members"\?\); the keys here are name, topics, members/),
    ]);
  });

  it('says what is missing, pointing at the nearest part that exists', () => {
    expect(placed(MINIMAL_YAML.replace('durationMs: 10m\n', ''))).toEqual(['1:1 durationMs: is required (a number of milliseconds or a string such as "500ms", "30s", "2m", "1h")']);
  });

  it('refuses a time that is not a duration, and a draw it does not know', () => {
    expect(placed(MINIMAL_YAML.replace('durationMs: 10m', 'durationMs: 10 minutes'))).toEqual([
      '2:1 durationMs: must be a duration (a number of milliseconds or a string such as "500ms", "30s", "2m", "1h"), got "10 minutes"',
    ]);
    const issues = placed(withMore('timeline:\n  - at: {uniform: [5s, 1s]}\n    action: network.heal\n  - at: {gaussian: 1}\n    action: network.heal\n'));
    expect(issues).toEqual([
      '11:10 timeline[0].at.uniform: the low end must not be above the high end',
      expect.stringMatching(/^13:5 timeline\[1\]\.at: must be a time, or one of \{uniform: \[low, high\]\}.*got a map with "gaussian"$/),
    ]);
  });

  it('names the timeline actions when one is unknown', () => {
    expect(placed(withMore('timeline:\n  - at: 1m\n    action: member.crsh\n    group: app\n'))).toEqual([
      expect.stringMatching(/^12:5 timeline\[0\]\.action: "member\.crsh" is not one; action must be one of member\.join, .* \(did you mean "member\.crash"\?\)$/),
    ]);
    expect(placed(withMore('timeline:\n  - at: 1m\n    action: member.crash\n    group: app\n'))).toEqual(['11:5 timeline[0]: needs one of member (an index), count or all: true']);
  });

  it('refuses an unknown metric, listing the known ones', () => {
    expect(placed(withMore('metrics: [rebalances, rebalance_tme_ms]\n'))).toEqual([
      expect.stringMatching(/^10:23 metrics\[1\]: unknown metric "rebalance_tme_ms" \(did you mean "rebalance_time_ms"\?\); the metrics are rebalances, rebalance_time_ms, /),
    ]);
  });

  it('checks names that refer to other parts of the scenario', () => {
    const text = `name: refs
durationMs: 1m
cluster: {brokers: 2}
topics:
  - {name: orders, partitions: 2, replicationFactor: 3}
  - {name: orders, partitions: 1}
groups:
  - {name: app, topics: [ordrs], members: 2, variant: eagre}
producers:
  - {topic: audit, recordsPerSecond: 10}
timeline:
  - {at: 2m, action: member.crash, group: ap, member: 0}
  - {at: 1s, action: member.leave, group: app, member: 2}
  - {at: 1s, action: broker.kill, broker: 2}
  - {at: 1s, action: network.partition, between: [[broker-0, app/member-5], [nobody]]}
  - {at: 1s, action: topic.addPartitions, topic: orders, partitions: 2}
`;
    expect(placed(text)).toEqual([
      '6:6 topics[1].name: topic "orders" is defined twice (first at topics[0])',
      '5:35 topics[0].replicationFactor: 3 replicas need as many brokers, and cluster.brokers is 2',
      '8:26 groups[0].topics[0]: no topic "ordrs" in topics (did you mean "orders"?)',
      '8:46 groups[0].variant: no variant "eagre" among the scenario\'s variants or the built-ins; the choices are classic-eager, classic-cooperative, consumer',
      '10:6 producers[0].topic: no topic "audit" in topics',
      '12:6 timeline[0].at: 120.0 s is after the end of the run (durationMs 60.0 s)',
      '12:36 timeline[0].group: no group "ap" in groups (did you mean "app"?)',
      '13:48 timeline[1].member: there is no member 2: group "app" has 2 member(s) (indexes 0..1)',
      '14:35 timeline[2].broker: there is no broker 2: cluster.brokers is 2 (brokers 0..1)',
      '15:62 timeline[3].between[0][1]: there is no app/member-5: group "app" has at most 2 member(s) (indexes 0..1)',
      expect.stringMatching(/^15:78 timeline\[3\]\.between\[1\]\[0\]: "nobody" is not a node; a node is broker-<n>, <group>\/member-<index> or a group name/),
      "16:58 timeline[4].partitions: is the new partition count (as kafka-topics --alter --partitions) and must be more than the topic's 2",
    ]);
  });

  it("checks Kafka configs by Kafka's own declarations", () => {
    const text = `name: configs
durationMs: 1m
cluster:
  config:
    node.id: 4
topics:
  - name: orders
    partitions: 2
    config: {retention.mss: 1000}
groups:
  - name: app
    topics: [orders]
    members: 2
    consumerConfig:
      session.timeout.mss: 10s
      partition.assignment.strategy: range
      max.poll.records: lots
  - name: fixed
    topics: [orders]
    members: 1
    variant: consumer
    consumerConfig:
      session.timeout.ms: 10s
  - name: committing
    topics: [orders]
    members: 1
    commit: sync
    consumerConfig: {enable.auto.commit: true}
variants:
  - {name: eager-sticky, protocol: classic-cooperative, assignor: range}
`;
    expect(placed(text)).toEqual([
      '5:5 cluster.config["node.id"]: node.id cannot be set here: brokers are numbered 0..cluster.brokers-1',
      expect.stringMatching(/^9:14 topics\[0\]\.config\["retention\.mss"\]: unknown topic config "retention\.mss"; did you mean "retention\.ms"/),
      '30:57 variants[0].assignor: "range" cannot run classic-cooperative: choose cooperative-sticky',
      expect.stringMatching(/^15:7 groups\[0\]\.consumerConfig\["session\.timeout\.mss"\]: unknown consumer config/),
      '16:7 groups[0].consumerConfig["partition.assignment.strategy"]: partition.assignment.strategy cannot be set here: the variant\'s assignor sets it (define a variant with assignor)',
      expect.stringMatching(/^17:7 groups\[0\]\.consumerConfig\["max\.poll\.records"\]: invalid value "lots" for consumer config max\.poll\.records/),
      "23:7 groups[1].consumerConfig[\"session.timeout.ms\"]: under variant consumer, Kafka's consumer refuses this: session.timeout.ms cannot be set when group.protocol=consumer: the group coordinator assigns partitions and sets the session and heartbeat timers (KIP-848)",
      '28:22 groups[2].consumerConfig["enable.auto.commit"]: enable.auto.commit=true contradicts commit: sync (commit sets it; leave it out)',
    ]);
  });

  it('refuses a group config that one of the compared variants cannot run', () => {
    const text = MINIMAL_YAML.replace('members: 3', 'members: 3\n    consumerConfig: {session.timeout.ms: 10000}');
    expect(placed(text)).toEqual([expect.stringMatching(/^10:22 groups\[0\]\.consumerConfig\["session\.timeout\.ms"\]: under variant consumer, Kafka's consumer refuses this/)]);
    // With classic variants only it is fine.
    expect(parseScenario(`${text}variants: [classic-eager, classic-cooperative]\n`).groups[0]?.consumerConfig).toEqual({ 'session.timeout.ms': 10_000 });
  });

  it('checks each case over the quick run too, as --quick runs them', () => {
    const text = withMore(`timeline:
  - {at: 1m, action: member.pause, group: app, member: 0, durationMs: 10s}
cases:
  - name: long-pause
    set:
      timeline.0.durationMs: 5m
quick:
  durationMs: 2m
`);
    expect(placed(text)).toEqual([
      '15:7 cases[0].set["timeline.0.durationMs"]: over the quick run, with this override, timeline[0].durationMs: 300.0 s is longer than the run (durationMs 120.0 s)',
    ]);
    // A quick run that replaces the cases is not checked against the file's cases.
    expect(parseScenario(`${text}  cases: []\n`).cases).toHaveLength(1);
  });

  it("points at a variant's config when that is what Kafka would refuse, and keeps auto.offset.reset at earliest", () => {
    const text = withMore(`variants:
  - name: fast-consumer
    protocol: consumer
    consumerConfig:
      heartbeat.interval.ms: 100
`);
    expect(placed(text)).toEqual([expect.stringMatching(/^14:7 variants\[0\]\.consumerConfig\["heartbeat\.interval\.ms"\]: under variant fast-consumer, .*heartbeat\.interval\.ms cannot be set when group\.protocol=consumer.* \(for group app\)$/)]);
    const reset = MINIMAL_YAML.replace('members: 3', 'members: 3\n    consumerConfig: {auto.offset.reset: latest}');
    expect(placed(reset)).toEqual([expect.stringMatching(/^10:22 groups\[0\]\.consumerConfig\["auto\.offset\.reset"\]: auto\.offset\.reset is always earliest in an experiment/)]);
    expect(parseScenario(reset.replace('latest', 'earliest')).groups[0]?.consumerConfig).toEqual({ 'auto.offset.reset': 'earliest' });
  });

  it('refuses unknown and repeated variants, cases and their overrides at the override', () => {
    const text = withMore(`variants:
  - classic-eagr
  - {name: mine, protocol: classic-eager}
  - {name: mine, protocol: consumer}
`);
    expect(placed(text)).toEqual([
      expect.stringMatching(/^11:5 variants\[0\]: "classic-eagr" is not a built-in variant \(classic-eager, classic-cooperative, consumer\) \(did you mean "classic-eager"\?\)/),
    ]);
    expect(placed(text.replace('  - classic-eagr\n', ''))).toEqual(['12:6 variants[1].name: variant "mine" is defined twice (first at variants[0])']);
    const cases = withMore(`cases:
  - name: big
    set:
      groups.app.members: 0
      groups.nope.members: 2
quick:
  topics.orders.partitionz: 1
`);
    expect(placed(cases)).toEqual([
      '14:7 cases[0].set["groups.nope.members"]: groups has no item named "nope"; the names are app',
      expect.stringMatching(/^16:3 quick\["topics\.orders\.partitionz"\]: with this override, topics\[0\]\.partitionz: unknown key "partitionz" \(did you mean "partitions"\?\)/),
    ]);
    expect(placed(cases.replace('      groups.nope.members: 2\n', ''))).toEqual([
      '13:7 cases[0].set["groups.app.members"]: with this override, groups[0].members: must be a positive integer, got 0',
      expect.stringMatching(/^15:3 quick/),
    ]);
  });
});
