/**
 * The inspected-actor directory on hand-written inspection messages (the @statelyai/inspect format):
 * registration with the first snapshot, snapshot updates and the recent-state trail, the maxActors bound,
 * an actor stopped, a process gone, and an actor registered again under a new name.
 */
import { describe, expect, it } from 'vitest';
import { createInspectedActorDirectory } from './inspected-actors.js';

const machineNames = new Map([['consumerGroup', 'consumer']]);
const directory = (maxActors = 10, maxRecentStates = 4) => createInspectedActorDirectory({ maxActors, maxRecentStates, machineNames });

const registration = (sessionId: string, name: string, value: unknown, machineId = 'consumerGroup') =>
  JSON.stringify({ type: '@xstate.actor', sessionId, name, definition: JSON.stringify({ id: machineId, states: {} }), snapshot: { status: 'active', value } });
const snapshot = (sessionId: string, value: unknown, status = 'active') => JSON.stringify({ type: '@xstate.snapshot', sessionId, snapshot: { status, value } });

describe('the inspected-actor directory', () => {
  it('registers an actor with its first snapshot, under the export name of its machine', () => {
    const actors = directory();
    actors.receive(1, registration('4711/x:0', 'consumer/analytics/console-consumer', 'unjoined'));
    actors.receive(1, registration('4711/x:1', 'broker-0/group/analytics', 'Empty', 'someOtherMachine'));
    expect(actors.list()).toEqual([
      { id: 'broker-0/group/analytics', machine: 'someOtherMachine', state: 'Empty', stateText: 'Empty', previousState: null, status: 'active', recent: ['Empty'] },
      { id: 'consumer/analytics/console-consumer', machine: 'consumer', state: 'unjoined', stateText: 'unjoined', previousState: null, status: 'active', recent: ['unjoined'] },
    ]);
  });

  it("shows each node's Raft replica by its snapshot, the one in Leader marked as the leader (and unmarked once it resigns)", () => {
    const actors = createInspectedActorDirectory({ maxActors: 10, maxRecentStates: 4, machineNames: new Map([['raft-replica', 'raft']]) });
    actors.receive(1, registration('1/x:0', 'broker-0/raft/__cluster_metadata-0', { Follower: 'Fetching' }, 'raft-replica'));
    actors.receive(2, registration('2/x:0', 'broker-1/raft/__cluster_metadata-0', 'Candidate', 'raft-replica'));
    actors.receive(3, registration('3/x:0', 'broker-2/raft/__cluster_metadata-0', 'Unattached', 'raft-replica'));
    actors.receive(2, snapshot('2/x:0', { Leader: 'Serving' }));
    expect(actors.list().map(({ id, machine, stateText, leader }) => ({ id, machine, stateText, leader }))).toEqual([
      { id: 'broker-0/raft/__cluster_metadata-0', machine: 'raft', stateText: 'Follower: Fetching', leader: undefined },
      { id: 'broker-1/raft/__cluster_metadata-0', machine: 'raft', stateText: 'Leader: Serving', leader: true },
      { id: 'broker-2/raft/__cluster_metadata-0', machine: 'raft', stateText: 'Unattached', leader: undefined },
    ]);
    expect(actors.list()[1]?.recent).toEqual(['Candidate', 'Leader']);
    actors.receive(2, snapshot('2/x:0', 'Resigned'));
    expect(actors.list().some((actor) => actor.leader === true)).toBe(false);
    expect('leader' in actors.list()[0]!).toBe(false);
  });

  it('follows snapshots: the current value, and the last top-level states (bounded by maxRecentStates)', () => {
    const actors = directory(10, 4);
    actors.receive(1, registration('x:0', 'consumer/g/c', 'unjoined'));
    for (const value of [{ joining: 'routing' }, { joining: 'awaitingJoin' }, 'syncing', 'stable', { rebalancing: { eager: 'awaitingPoll' } }, 'stable']) actors.receive(1, snapshot('x:0', value));
    expect(actors.list()).toEqual([{ id: 'consumer/g/c', machine: 'consumer', state: 'stable', stateText: 'stable', previousState: { rebalancing: { eager: 'awaitingPoll' } }, status: 'active', recent: ['syncing', 'stable', 'rebalancing', 'stable'] }]);
  });

  it('ignores snapshots of actors it never saw registered, and messages that are not JSON', () => {
    const actors = directory();
    actors.receive(1, snapshot('x:9', 'stable'));
    actors.receive(1, 'not json');
    actors.receive(1, JSON.stringify({ type: '@xstate.event', sessionId: 'x:9', event: { type: 'poll' } }));
    expect(actors.list()).toEqual([]);
  });

  it('keeps at most maxActors and counts the registrations it refused', () => {
    const actors = directory(2);
    for (let index = 0; index < 5; index += 1) actors.receive(1, registration(`x:${index}`, `consumer/g/c${index}`, 'unjoined'));
    expect(actors.list().map((actor) => actor.id)).toEqual(['consumer/g/c0', 'consumer/g/c1']);
    expect(actors.omitted?.()).toBe(3);
    // A kept actor registered again (a relay replaying) is an update, not a new one.
    actors.receive(1, registration('x:0', 'consumer/g/c0', 'stable'));
    expect(actors.list()[0]?.state).toBe('stable');
    expect(actors.omitted?.()).toBe(3);
  });

  it('drops an actor whose snapshot says it stopped; keeps a finished one with its status', () => {
    const actors = directory();
    actors.receive(1, registration('x:0', 'consumer/g/a', 'stable'));
    actors.receive(1, registration('x:1', 'consumer/g/b', 'stable'));
    actors.receive(1, snapshot('x:0', 'stable', 'stopped'));
    actors.receive(1, snapshot('x:1', 'dead', 'done'));
    expect(actors.list()).toEqual([{ id: 'consumer/g/b', machine: 'consumer', state: 'dead', stateText: 'dead', previousState: 'stable', status: 'done', recent: ['stable', 'dead'] }]);
  });

  it('tells apart equal session ids from two processes, and forgets a process whose connection closed', () => {
    const actors = directory();
    actors.receive(1, registration('x:0', 'consumer/g/a', 'stable'));
    actors.receive(2, registration('x:0', 'consumer/g/b', 'syncing'));
    actors.receive(2, snapshot('x:0', 'stable'));
    expect(actors.list().map((actor) => [actor.id, actor.state])).toEqual([
      ['consumer/g/a', 'stable'],
      ['consumer/g/b', 'stable'],
    ]);
    actors.disconnected(1);
    expect(actors.list().map((actor) => actor.id)).toEqual(['consumer/g/b']);
  });

  it('gives actors of the same name from several processes ids of their own: the process id, else a number', () => {
    const actors = directory();
    actors.receive(1, registration('4711/x:0', 'consumer/g/console-consumer', 'stable'));
    actors.receive(2, registration('4712/x:0', 'consumer/g/console-consumer', 'stable'));
    actors.receive(3, registration('x:0', 'consumer/g/console-consumer', 'stable'));
    actors.receive(2, snapshot('4712/x:0', 'syncing'));
    expect(actors.list().map((actor) => [actor.id, actor.state])).toEqual([
      ['consumer/g/console-consumer', 'stable'],
      ['consumer/g/console-consumer#2', 'stable'],
      ['consumer/g/console-consumer@4712', 'syncing'],
    ]);
  });

  it('renames an actor registered again under a new name (a consumer given its member id), keeping its trail', () => {
    const actors = directory();
    actors.receive(1, registration('4711/x:0', 'consumer/g/console-consumer', 'unjoined'));
    actors.receive(1, snapshot('4711/x:0', { joining: 'awaitingJoin' }));
    actors.receive(1, registration('4711/x:0', 'consumer/g/console-consumer-3f2a', { joining: 'awaitingJoin' }));
    actors.receive(1, snapshot('4711/x:0', 'syncing'));
    expect(actors.list()).toEqual([{ id: 'consumer/g/console-consumer-3f2a', machine: 'consumer', state: 'syncing', stateText: 'syncing', previousState: { joining: 'awaitingJoin' }, status: 'active', recent: ['unjoined', 'joining', 'syncing'] }]);
  });

  it('a renamed actor gives up its old id, and takes a suffix only when another actor has the new name', () => {
    const actors = directory();
    actors.receive(1, registration('4711/x:0', 'consumer/g/console-consumer', 'unjoined'));
    actors.receive(2, registration('4712/x:0', 'consumer/g/console-consumer', 'unjoined'));
    expect(actors.list().map((actor) => actor.id)).toEqual(['consumer/g/console-consumer', 'consumer/g/console-consumer@4712']);
    // The second process's consumer joins first; the first one's old name is then still taken by the first.
    actors.receive(2, registration('4712/x:0', 'consumer/g/console-consumer-b', 'joining'));
    actors.receive(1, registration('4711/x:0', 'consumer/g/console-consumer-a', 'joining'));
    expect(actors.list().map((actor) => actor.id)).toEqual(['consumer/g/console-consumer-a', 'consumer/g/console-consumer-b']);
    // Back to its client id (UNKNOWN_MEMBER_ID): the name is free again, no suffix.
    actors.receive(1, registration('4711/x:0', 'consumer/g/console-consumer', 'joining'));
    expect(actors.list().map((actor) => actor.id)).toEqual(['consumer/g/console-consumer', 'consumer/g/console-consumer-b']);
    // Renamed to a name another actor shows: told apart as before.
    actors.receive(2, registration('4712/x:0', 'consumer/g/console-consumer', 'joining'));
    expect(actors.list().map((actor) => actor.id)).toEqual(['consumer/g/console-consumer', 'consumer/g/console-consumer@4712']);
  });

  it('keeps the id of an actor registered again under the same name, suffix and all', () => {
    const actors = directory();
    actors.receive(1, registration('4711/x:0', 'consumer/g/console-consumer', 'stable'));
    actors.receive(2, registration('4712/x:0', 'consumer/g/console-consumer', 'stable'));
    actors.receive(2, registration('4712/x:0', 'consumer/g/console-consumer', 'stable'));
    expect(actors.list().map((actor) => actor.id)).toEqual(['consumer/g/console-consumer', 'consumer/g/console-consumer@4712']);
  });
});
