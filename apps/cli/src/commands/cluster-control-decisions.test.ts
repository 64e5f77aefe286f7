import { describe, expect, it } from 'vitest';
import { controlDoneMessage, decideControl, type ControlView } from './cluster-control-decisions.js';

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

  it('says that broker 0 down means no elections, since it is the only controller for now', () => {
    const note = 'broker 0 is also the controller, which stays on that one broker for now: while it is down no leader is elected (kactor cluster start 0 brings it back)';
    expect(controlDoneMessage('kill', 0, 4711)).toBe(`broker 0 killed (pid 4711); ${note}`);
    expect(controlDoneMessage('stop', 0, 4711)).toBe(`broker 0 stopped; ${note}`);
    expect(controlDoneMessage('start', 0, 4799)).toBe('broker 0 started (pid 4799)');
  });
});
