import { describe, expect, it } from 'vitest';
import { controlDoneMessage, decideControl, quorumMajority, quorumNote, type ControlView } from './cluster-control-decisions.js';

const running: ControlView = { stopping: false, brokerCount: 3, broker: { running: true, pid: 4711 } };
const down: ControlView = { stopping: false, brokerCount: 3, broker: { running: false, pid: 4711 } };

describe('decideControl', () => {
  it('kills or stops a running broker and starts one that is down', () => {
    expect(decideControl({ command: 'kill', brokerId: 2 }, running)).toEqual({ act: 'kill' });
    expect(decideControl({ command: 'stop', brokerId: 2 }, running)).toEqual({ act: 'stop' });
    expect(decideControl({ command: 'start', brokerId: 2 }, down)).toEqual({ act: 'start' });
  });

  it('refuses a broker the cluster does not have, naming the ones it has', () => {
    expect(decideControl({ command: 'kill', brokerId: 7 }, { ...running, broker: undefined })).toEqual({ refuse: { ok: false, error: 'no broker 7 in this cluster (its brokers are 0..2)' } });
  });

  it('refuses to start a running broker and to kill or stop one that is down', () => {
    expect(decideControl({ command: 'start', brokerId: 2 }, running)).toEqual({ refuse: { ok: false, error: 'broker 2 is already running (pid 4711)' } });
    for (const command of ['kill', 'stop'] as const) {
      expect(decideControl({ command, brokerId: 2 }, down)).toEqual({ refuse: { ok: false, error: 'broker 2 is not running (kactor cluster start 2 starts it)' } });
    }
  });

  it('refuses everything while the cluster is stopping (Ctrl-C): nothing is restarted behind it', () => {
    expect(decideControl({ command: 'start', brokerId: 2 }, { ...down, stopping: true })).toEqual({ refuse: { ok: false, error: 'the cluster is stopping' } });
  });
});

describe('controlDoneMessage', () => {
  it('prints one line per command', () => {
    expect(controlDoneMessage('kill', 2, 4711)).toBe('broker 2 killed (pid 4711)');
    expect(controlDoneMessage('stop', 2, 4711)).toBe('broker 2 stopped');
    expect(controlDoneMessage('start', 2, 4799)).toBe('broker 2 started (pid 4799)');
  });

  it('a voter going down that leaves the metadata quorum without a majority says what stops and how to bring it back', () => {
    const lost = 'the metadata quorum lost its majority (1 of 3 voters running, 2 needed): nothing can be created, elected or fenced until kactor cluster start 1 brings one back';
    expect(controlDoneMessage('kill', 1, 4711, { voterIds: [0, 1, 2], runningVoterIds: [2] })).toBe(`broker 1 killed (pid 4711); ${lost}`);
    expect(controlDoneMessage('stop', 1, 4711, { voterIds: [0, 1, 2], runningVoterIds: [2] })).toBe(`broker 1 stopped; ${lost}`);
    expect(controlDoneMessage('kill', 0, 4711, { voterIds: [0], runningVoterIds: [] })).toBe(
      'broker 0 killed (pid 4711); the metadata quorum lost its majority (0 of 1 voters running, 1 needed): nothing can be created, elected or fenced until kactor cluster start 0 brings one back',
    );
  });

  it('nothing special about node 0 any more: a voter down with a majority left, or an observer, is just killed or stopped', () => {
    expect(controlDoneMessage('kill', 0, 4711, { voterIds: [0, 1, 2], runningVoterIds: [1, 2] })).toBe('broker 0 killed (pid 4711)');
    expect(controlDoneMessage('stop', 3, 4711, { voterIds: [0, 1, 2], runningVoterIds: [0] })).toBe('broker 3 stopped');
    expect(controlDoneMessage('start', 0, 4799, { voterIds: [0, 1, 2], runningVoterIds: [0, 1, 2] })).toBe('broker 0 started (pid 4799)');
  });
});

describe('quorumNote', () => {
  it('names the voters and how many may be killed at once, which a majority decides (KIP-595)', () => {
    expect(quorumMajority(1)).toBe(1);
    expect(quorumMajority(3)).toBe(2);
    expect(quorumMajority(4)).toBe(3);
    expect(quorumNote([0, 1, 2])).toBe('metadata quorum: voters 0,1,2 (controller.quorum.voters); any one of them can be killed, a new leader is elected');
    expect(quorumNote([0, 1, 2, 3, 4])).toBe('metadata quorum: voters 0,1,2,3,4 (controller.quorum.voters); any two of them can be killed, a new leader is elected');
    expect(quorumNote([0, 1])).toBe('metadata quorum: voters 0,1 (controller.quorum.voters); a majority needs all 2: while any one is down nothing can be created, elected or fenced');
    expect(quorumNote([0])).toBe('metadata quorum: a single voter, node 0 (controller.quorum.voters): while node 0 is down nothing can be created, elected or fenced');
  });
});
