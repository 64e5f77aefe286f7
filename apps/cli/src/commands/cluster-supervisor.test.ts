import { describe, expect, it } from 'vitest';
import { nodeProcessRoles, quorumVoterIdsOf } from '../support/kraft-node.js';
import { brokerCommandArguments, type BrokerLaunch } from './cluster-supervisor.js';

const launch: BrokerLaunch = {
  basePort: 9100,
  host: '127.0.0.1',
  dataDir: '/data',
  clusterSecretFile: '/data/cluster.secret',
  override: ['controller.quorum.voters=0@127.0.0.1:9100,1@127.0.0.1:9101,2@127.0.0.1:9102', 'broker.session.timeout.ms=5000'],
  readyTimeoutMs: 60_000,
  voterIds: [0, 1, 2],
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qk',
};

/** The value that follows `flag` in `args`, or undefined when the flag is not there. */
function flagValue(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

describe('the kactor broker command cluster up runs for each node (KRaft mode, issue 12)', () => {
  it('a voter gets the roles broker,controller, an observer broker only; none gets --controller; all share the cluster id', () => {
    const fiveNodes = { ...launch, override: ['controller.quorum.voters=0@127.0.0.1:9100,1@127.0.0.1:9101,2@127.0.0.1:9102'] };
    for (const nodeId of [0, 1, 2, 3, 4]) {
      const args = brokerCommandArguments(fiveNodes, nodeId);
      expect(args.slice(0, 9)).toEqual(['broker', '--id', String(nodeId), '--port', String(9100 + nodeId), '--host', '127.0.0.1', '--data-dir', `/data/broker-${nodeId}`]);
      expect(flagValue(args, '--process-roles')).toBe(nodeId < 3 ? 'broker,controller' : 'broker');
      expect(args).not.toContain('--controller');
      expect(flagValue(args, '--cluster-id')).toBe('MkU3OEVBNTcwNTJENDM2Qk');
      expect(flagValue(args, '--cluster-secret-file')).toBe('/data/cluster.secret');
    }
  });

  it('kactor broker accepts the roles it is given: each matches the node being a voter of the overrides it gets', () => {
    const voterIds = quorumVoterIdsOf(launch.override);
    expect(voterIds).toEqual([0, 1, 2]);
    for (const nodeId of [0, 1, 2]) {
      const args = brokerCommandArguments(launch, nodeId);
      expect(nodeProcessRoles({ nodeId, processRoles: flagValue(args, '--process-roles'), voterIds })).toEqual(['broker', 'controller']);
    }
  });

  it('passes every override, the secret file and the inspect URL on, the same on every start', () => {
    const args = brokerCommandArguments({ ...launch, secretFile: '/s', inspectUrl: 'ws://127.0.0.1:9180/inspect' }, 1);
    expect(args.filter((_, index) => args[index - 1] === '--override')).toEqual(launch.override);
    expect(flagValue(args, '--secret-file')).toBe('/s');
    expect(flagValue(args, '--inspect')).toBe('ws://127.0.0.1:9180/inspect');
    expect(brokerCommandArguments(launch, 1)).toEqual(brokerCommandArguments(launch, 1));
  });
});
