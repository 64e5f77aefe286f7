import { createLogger } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { ClientRuntime } from '../../client-runtime.js';
import { MAX_PENDING_COMMIT_CALLBACKS } from '../../constants.js';
import { IllegalStateError } from '../../errors.js';
import { InFlight } from '../../internal/in-flight.js';
import { SubscriptionState } from '../subscription-state.js';
import { GroupCommits } from './group-commits.js';
import type { OffsetsClient } from './offsets-client.js';

/** GroupCommits with nothing consumed, so every commitAsync completes at once and only waits for its callback. */
function idleCommits(): GroupCommits {
  return new GroupCommits({
    offsets: {} as OffsetsClient,
    subscriptions: new SubscriptionState('latest'),
    runtime: {} as ClientRuntime,
    logger: createLogger(),
    defaultApiTimeoutMs: 60_000,
    inFlight: new InFlight(),
    membership: {
      commitPermission: () => ({ kind: 'member', generation: { generationId: 1, memberId: 'member-1' } }),
      commitRefused: () => undefined,
      membership: () => ({ protocol: 'classic', state: 'stable', generationId: 1, memberId: 'member-1' }),
    },
    autoAssigned: () => true,
  });
}

describe('group commits', () => {
  it(`refuses a commitAsync past MAX_PENDING_COMMIT_CALLBACKS (${MAX_PENDING_COMMIT_CALLBACKS}) callbacks waiting for poll(), and accepts again once they ran`, () => {
    const commits = idleCommits();
    let called = 0;
    for (let index = 0; index < MAX_PENDING_COMMIT_CALLBACKS; index += 1) commits.commitAsync(undefined, () => (called += 1));
    expect(() => commits.commitAsync(undefined, () => (called += 1))).toThrow(IllegalStateError);
    expect(called).toBe(0);
    commits.runCallbacks();
    expect(called).toBe(MAX_PENDING_COMMIT_CALLBACKS);
    commits.commitAsync(undefined, () => (called += 1));
    commits.runCallbacks();
    expect(called).toBe(MAX_PENDING_COMMIT_CALLBACKS + 1);
  });
});
