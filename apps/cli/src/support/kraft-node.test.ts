import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { controllerFlagRefusal, isSingleNodeCluster, metadataPartitionDir, nodeProcessRoles, quorumVoterIdsOf } from './kraft-node.js';

const voters = 'controller.quorum.voters=0@127.0.0.1:9100,1@127.0.0.1:9101,2@127.0.0.1:9102';

describe('kactor broker: roles with and without controller.quorum.voters', () => {
  it('reads the voter ids from --override, the last one given winning; none means legacy mode', () => {
    expect(quorumVoterIdsOf(['broker.session.timeout.ms=5000', voters])).toEqual([0, 1, 2]);
    expect(quorumVoterIdsOf([voters, ' controller.quorum.voters = 4@h:1'])).toEqual([4]);
    expect(quorumVoterIdsOf(['broker.session.timeout.ms=5000'])).toEqual([]);
    expect(() => quorumVoterIdsOf(['controller.quorum.voters=zero@h:1'])).toThrow(/controller\.quorum\.voters/);
  });

  it('with voters, --process-roles defaults to broker,controller on a voter and broker on the others', () => {
    expect(nodeProcessRoles({ nodeId: 1, voterIds: [0, 1, 2] })).toEqual(['broker', 'controller']);
    expect(nodeProcessRoles({ nodeId: 3, voterIds: [0, 1, 2] })).toEqual(['broker']);
  });

  it('with voters, --controller is refused with one line, and roles that contradict the voters are too', () => {
    expect(() => nodeProcessRoles({ nodeId: 3, controller: 'ws://127.0.0.1:9100', voterIds: [0, 1, 2] })).toThrow(new CliError(controllerFlagRefusal));
    expect(controllerFlagRefusal).toBe('--controller is for a cluster with one controller; with controller.quorum.voters every node finds the quorum leader itself');
    expect(() => nodeProcessRoles({ nodeId: 1, processRoles: 'broker', voterIds: [0, 1, 2] })).toThrow(
      new CliError('node 1 is a voter of controller.quorum.voters (0,1,2), so --process-roles must include controller'),
    );
    expect(() => nodeProcessRoles({ nodeId: 3, processRoles: 'broker,controller', voterIds: [0, 1, 2] })).toThrow(
      new CliError('node 3 is not a voter of controller.quorum.voters (0,1,2), so it cannot have the controller role'),
    );
    expect(() => nodeProcessRoles({ nodeId: 1, processRoles: 'controller', voterIds: [0, 1, 2] })).toThrow(/must include broker/);
  });

  it('without voters, the legacy rules are unchanged: the controller here by default, or --controller', () => {
    expect(nodeProcessRoles({ nodeId: 0, voterIds: [] })).toEqual(['broker', 'controller']);
    expect(nodeProcessRoles({ nodeId: 1, controller: 'ws://127.0.0.1:9100', voterIds: [] })).toEqual(['broker']);
    expect(() => nodeProcessRoles({ nodeId: 1, processRoles: 'broker', voterIds: [] })).toThrow(new CliError('a broker without the controller role needs --controller ws://HOST:PORT'));
    expect(() => nodeProcessRoles({ nodeId: 1, processRoles: 'broker,zookeeper', voterIds: [] })).toThrow(new CliError('--process-roles accepts broker and controller, got "zookeeper"'));
  });

  it('a node is a cluster on its own when it runs the one controller, or is the only voter', () => {
    expect(isSingleNodeCluster(0, ['broker', 'controller'], [])).toBe(true);
    expect(isSingleNodeCluster(1, ['broker'], [])).toBe(false);
    expect(isSingleNodeCluster(0, ['broker', 'controller'], [0])).toBe(true);
    expect(isSingleNodeCluster(0, ['broker', 'controller'], [0, 1, 2])).toBe(false);
    expect(isSingleNodeCluster(1, ['broker'], [0])).toBe(false);
  });

  it('keeps quorum-state in the __cluster_metadata-0 folder of the data directory, where the metadata log is', () => {
    expect(metadataPartitionDir('/data/broker-1')).toBe('/data/broker-1/__cluster_metadata-0');
  });
});
