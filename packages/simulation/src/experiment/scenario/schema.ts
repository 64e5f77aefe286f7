import { z } from 'zod';
import { METRIC_NAMES } from '../metrics.js';
import { PROTOCOL_NAMES } from '../model.js';
import { describeValue } from './errors.js';
import { MAX_SEEDS } from './seeds.js';
import { clientConfig, drawn, duration, NAME, oneOf, pick, positiveInteger, stringConfig, strict } from './schema-helpers.js';
import { didYouMean } from './suggest.js';
import { BUILTIN_VARIANT_NAMES, builtinVariant, defaultAssignor } from './builtin-variants.js';

/**
 * The scenario file's schema: the model's Scenario with camelCase keys, times as numbers or duration
 * strings, and every default filled in. Cross-field rules (a group's topics exist...) are in
 * cross-checks.ts, which runs on the result.
 */

const nodeList = z.array(z.string({ error: 'must be a node name' }), { error: 'must be a list of node names' }).min(1, { error: 'must name at least one node' });
const between = z.tuple([nodeList, nodeList], { error: 'must be two lists of nodes, [[broker-0], [app]]' });

const cluster = strict({
  brokers: positiveInteger().default(3),
  controllers: positiveInteger().optional(),
  latencyMs: duration().default(1),
  config: stringConfig(),
});

const topic = strict({
  name: NAME,
  partitions: positiveInteger(),
  replicationFactor: positiveInteger().default(1),
  config: stringConfig(),
});

const group = strict({
  name: NAME,
  topics: z.array(NAME, { error: 'must be a list of topic names' }).min(1, { error: 'must name at least one topic' }),
  members: positiveInteger(),
  variant: NAME.optional(),
  staticMembership: z.boolean({ error: 'must be true or false' }).default(false),
  consumerConfig: clientConfig(),
  processingMs: drawn().default(0),
  commit: z.enum(['auto', 'sync', 'async', 'transactional'], { error: (issue) => `must be auto, sync, async or transactional, got ${describeValue(issue.input)}` }).default('auto'),
  pollTimeoutMs: duration().default(100),
});

const keyCount = positiveInteger();
const keys = oneOf('kind', {
  none: strict({ kind: z.literal('none') }),
  uniform: strict({ kind: z.literal('uniform'), keys: keyCount }),
  zipf: strict({ kind: z.literal('zipf'), keys: keyCount, exponent: z.number({ error: 'must be a number' }).positive({ error: 'must be more than 0' }) }),
  sequential: strict({ kind: z.literal('sequential'), keys: keyCount }),
});

/** What a producer uses unless its `config` says otherwise: Kafka's safe acks, and batching a little. */
export const PRODUCER_CONFIG_DEFAULTS: Readonly<Record<string, string | number | boolean>> = { acks: 'all', 'linger.ms': 5 };

const producer = strict({
  topic: NAME,
  recordsPerSecond: z.number({ error: 'must be a number of records per second' }).positive({ error: (issue) => `must be more than 0, got ${describeValue(issue.input)}` }),
  keys: keys.default({ kind: 'none' }),
  valueBytes: positiveInteger().default(100),
  config: clientConfig().transform((config) => ({ ...PRODUCER_CONFIG_DEFAULTS, ...config })),
  startMs: duration().default(0),
  stopMs: duration().optional(),
});

const memberSelector = {
  member: z.int({ error: 'must be a member index, 0 or more' }).min(0, { error: 'must be a member index, 0 or more' }).optional(),
  count: positiveInteger().optional(),
  drawn: z.boolean({ error: 'must be true or false' }).optional(),
  all: z.literal(true, { error: 'must be true' }).optional(),
};

/** Exactly one of `member`, `count` or `all` says which members an event acts on. */
function selecting<Shape extends z.ZodRawShape>(shape: Shape) {
  return strict({ ...shape, ...memberSelector }).superRefine((parsed, context) => {
    const event = parsed as { member?: number; count?: number; all?: true; drawn?: boolean };
    const given = (['member', 'count', 'all'] as const).filter((key) => event[key] !== undefined);
    if (given.length !== 1) {
      context.addIssue({ code: 'custom', message: given.length === 0 ? 'needs one of member (an index), count or all: true' : `gives ${given.join(' and ')}: choose one` });
    }
    if (event.drawn !== undefined && event.count === undefined) context.addIssue({ code: 'custom', path: ['drawn'], message: 'only goes with count' });
  });
}

const at = { at: drawn() };
const groupName = { group: NAME };
const brokerNumber = z.int({ error: 'must be a broker number' }).min(0, { error: 'must be a broker number, 0 or more' });
const clean = z.boolean({ error: 'must be true or false' }).default(true);

const timelineEvent = oneOf('action', {
  'member.join': strict({ action: z.literal('member.join'), ...at, ...groupName, count: positiveInteger() }),
  'member.leave': selecting({ action: z.literal('member.leave'), ...at, ...groupName }),
  'member.crash': selecting({ action: z.literal('member.crash'), ...at, ...groupName }),
  'member.pause': selecting({ action: z.literal('member.pause'), ...at, ...groupName, durationMs: drawn() }),
  'member.slowPoll': selecting({ action: z.literal('member.slowPoll'), ...at, ...groupName, durationMs: drawn() }),
  'member.rollingRestart': strict({ action: z.literal('member.rollingRestart'), ...at, ...groupName, intervalMs: duration(), downMs: duration(), clean }),
  'member.restart': selecting({ action: z.literal('member.restart'), ...at, ...groupName, downMs: duration(), clean }),
  'broker.kill': strict({
    action: z.literal('broker.kill'),
    ...at,
    broker: z.union([brokerNumber, z.enum(['coordinator', 'leader'])], { error: (issue) => `must be a broker number, "coordinator" or "leader", got ${describeValue(issue.input)}` }),
  }),
  'broker.restart': strict({ action: z.literal('broker.restart'), ...at, broker: brokerNumber }),
  'broker.stop': strict({ action: z.literal('broker.stop'), ...at, broker: brokerNumber }),
  'network.partition': strict({ action: z.literal('network.partition'), ...at, between, durationMs: drawn().optional() }),
  'network.heal': strict({ action: z.literal('network.heal'), ...at }),
  'link.slow': strict({ action: z.literal('link.slow'), ...at, between, latencyMs: duration(), durationMs: drawn().optional() }),
  'link.lossy': strict({
    action: z.literal('link.lossy'),
    ...at,
    between,
    lossRate: z.number({ error: 'must be a number between 0 and 1' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }),
    durationMs: drawn().optional(),
  }),
  'topic.addPartitions': strict({ action: z.literal('topic.addPartitions'), ...at, topic: NAME, partitions: positiveInteger() }),
});

const variantObject = strict({
  name: NAME,
  protocol: z.enum(PROTOCOL_NAMES as [string, ...string[]], { error: (issue) => `must be one of ${PROTOCOL_NAMES.join(', ')}, got ${describeValue(issue.input)}` }),
  assignor: z.string({ error: 'must be an assignor name' }).optional(),
  consumerConfig: clientConfig(),
  brokerConfig: stringConfig(),
});

/** A built-in variant by name, or a variant defined in full. */
const variant = z.unknown().transform((value, context) => {
  if (typeof value === 'string') {
    const builtin = builtinVariant(value);
    if (builtin !== undefined) return builtin;
    context.addIssue({ code: 'custom', message: `"${value}" is not a built-in variant (${BUILTIN_VARIANT_NAMES.join(', ')})${didYouMean(value, BUILTIN_VARIANT_NAMES)}; define it as {name, protocol, assignor?, consumerConfig?, brokerConfig?}` });
    return z.NEVER;
  }
  const defined = pick(variantObject, value, context);
  return { ...defined, protocol: defined.protocol as (typeof PROTOCOL_NAMES)[number], assignor: defined.assignor ?? defaultAssignor(defined.protocol as (typeof PROTOCOL_NAMES)[number]) };
});

const scenarioCase = strict({
  name: NAME,
  set: z.record(z.string(), z.unknown(), { error: 'must be a map of dotted paths to values, e.g. {groups.app.members: 100}' }),
});

const metricName = z.string({ error: 'must be a metric name' }).superRefine((name, context) => {
  if (!METRIC_NAMES.includes(name)) {
    context.addIssue({ code: 'custom', message: `unknown metric "${name}"${didYouMean(name, METRIC_NAMES)}; the metrics are ${METRIC_NAMES.join(', ')}` });
  }
});

export const scenarioSchema = strict({
  name: NAME,
  description: z.string({ error: 'must be text' }).default(''),
  durationMs: duration({ positive: true }),
  cluster: cluster.default({ brokers: 3, latencyMs: 1, config: {} }),
  topics: z.array(topic, { error: 'must be a list of topics' }).min(1, { error: 'must list at least one topic' }),
  groups: z.array(group, { error: 'must be a list of groups' }).min(1, { error: 'must list at least one group' }),
  producers: z.array(producer, { error: 'must be a list of producers' }).default([]),
  timeline: z.array(timelineEvent, { error: 'must be a list of events' }).default([]),
  variants: z
    .array(variant, { error: 'must be a list of variants' })
    .min(1, { error: 'must list at least one variant' })
    .default(() => BUILTIN_VARIANT_NAMES.map((name) => builtinVariant(name) as NonNullable<ReturnType<typeof builtinVariant>>)),
  cases: z.array(scenarioCase, { error: 'must be a list of cases' }).default([]),
  metrics: z.array(metricName, { error: 'must be a list of metric names' }).default(() => [...METRIC_NAMES]),
  seeds: positiveInteger().max(MAX_SEEDS, { error: `must be at most ${MAX_SEEDS} (MAX_SEEDS)` }).default(5),
  quick: z.record(z.string(), z.unknown(), { error: 'must be a map of dotted paths to values, e.g. {groups.app.members: 3}' }).default({}),
});
