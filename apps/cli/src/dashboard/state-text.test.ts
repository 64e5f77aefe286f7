import { describe, expect, it } from 'vitest';
import { stateText } from './state-text.js';

describe('stateText: a state value as text, not JSON (issue 10)', () => {
  it.each([
    ['stable', 'stable'],
    [{ joining: 'routing' }, 'joining: routing'],
    [{ rebalancing: { eager: 'awaitingPoll' } }, 'rebalancing: eager awaitingPoll'],
    [{ ready: { admission: 'admitting', delivery: 'idle' } }, 'ready: admission admitting · delivery idle'],
    [{ running: {}, heartbeat: 'idle' }, 'running · heartbeat idle'],
    [null, ''],
  ])('%j -> %s', (value, text) => {
    expect(stateText(value)).toBe(text);
    expect(stateText(value)).not.toMatch(/[{}"]/);
  });
});
