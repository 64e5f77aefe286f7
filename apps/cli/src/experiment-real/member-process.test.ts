import { describe, expect, it } from 'vitest';
import { memberArguments } from './member-process.js';
import type { GroupSpec } from './simulation-adapter.js';

const group: GroupSpec = {
  name: 'app',
  topics: ['orders', 'refunds'],
  members: 2,
  staticMembership: false,
  consumerConfig: { 'session.timeout.ms': 6000, 'max.poll.interval.ms': 1000 },
  processingMs: 0,
  commit: 'sync',
  pollTimeoutMs: 100,
};

describe('a member as a kactor consume command', () => {
  it('maps a classic variant to --assignor and its configs to --consumer-property, the variant\'s over the group\'s, its name last as client.id', () => {
    const args = memberArguments(group, { name: 'eager', protocol: 'classic-eager', consumerConfig: { 'session.timeout.ms': 10000 } }, 1, 'ws://127.0.0.1:9100');
    expect(args.slice(0, 8)).toEqual(['consume', 'orders', 'refunds', '--group', 'app', '--json', '--events', '--from-beginning']);
    expect(args).toEqual(expect.arrayContaining(['--commit', 'sync', '--group-protocol', 'classic', '--assignor', 'range', '--bootstrap-server', 'ws://127.0.0.1:9100']));
    expect(args.filter((arg, index) => args[index - 1] === '--consumer-property')).toEqual(['session.timeout.ms=10000', 'max.poll.interval.ms=1000', 'client.id=app/member-1']);
    expect(args).not.toContain('--group-instance-id');
  });

  it('maps the consumer protocol to its server-side assignor, static membership to a group.instance.id per index', () => {
    const args = memberArguments({ ...group, staticMembership: true, consumerConfig: { 'auto.offset.reset': 'latest' } }, { name: 'consumer', protocol: 'consumer' }, 3, 'ws://b');
    expect(args).toEqual(expect.arrayContaining(['--group-protocol', 'consumer', '--group-remote-assignor', 'uniform', '--group-instance-id', 'app-3', '--from-beginning']));
    expect(args).not.toContain('auto.offset.reset=latest');
  });
});
