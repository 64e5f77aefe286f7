/**
 * Which inspected actors get a live statechart on the page (public/statecharts.js's chartedMachines): the protocol's
 * actors, now with the transaction coordinator (one per transactional id, `broker-N/transaction/<id>`) and each
 * transactional producer's TransactionManager (`producer/<client.id>/transaction-manager`) of issue 13, and KIP-848's
 * consumer group on its coordinator and the consumer's membership with the consumer protocol (issue 14); each one a
 * machine the dashboard can draw, named as inspected actors are named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATECHARTS } from '../statecharts/registry.js';
import { createInspectedActorDirectory } from './inspected-actors.js';
import { createStatechartImages } from './statechart-images.js';

function chartedMachines(): string[] {
  const script = readFileSync(join(import.meta.dirname, 'public/statecharts.js'), 'utf8');
  const list = /const chartedMachines = \[([^\]]*)\];/.exec(script)?.[1];
  if (list === undefined) throw new Error('statecharts.js has no chartedMachines list');
  return [...list.matchAll(/'([^']+)'/g)].map((match) => match[1] as string);
}

describe('the statecharts the dashboard draws', () => {
  it('include the transaction coordinator and the transactional producer (issue 13), each a machine the dashboard can draw', () => {
    const charted = chartedMachines();
    expect(charted).toEqual(expect.arrayContaining(['transaction-coordinator', 'transaction-manager', 'consumer', 'group-coordinator', 'producer', 'raft']));
    for (const name of charted) expect(Object.keys(STATECHARTS)).toContain(name);
  });

  it("include KIP-848's consumer group coordinator and consumer membership (issue 14), each machine id naming one machine", () => {
    expect(chartedMachines()).toEqual(expect.arrayContaining(['consumer-group-coordinator', 'consumer-membership']));
    // The page names an inspected actor's machine by its id: two machines with one id would be drawn as each other.
    const ids = Object.values(STATECHARTS).map((entry) => entry.machine.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    const { machineNames } = createStatechartImages();
    const directory = createInspectedActorDirectory({ maxActors: 10, maxRecentStates: 4, machineNames });
    const register = (sessionId: string, name: string, chart: keyof typeof STATECHARTS, state: string) =>
      directory.receive(1, JSON.stringify({ type: '@xstate.actor', sessionId, name, definition: JSON.stringify({ id: STATECHARTS[chart]?.machine.id }), snapshot: { value: state, status: 'active' } }));
    register('x:1', 'broker-1/group/g848', 'consumer-group-coordinator', 'Reconciling');
    register('x:2', 'consumer/g848/member-1', 'consumer-membership', 'RECONCILING');
    register('x:3', 'consumer/analytics/member-2', 'consumer', 'stable');
    expect(directory.list().map(({ id, machine }) => ({ id, machine }))).toEqual([
      { id: 'broker-1/group/g848', machine: 'consumer-group-coordinator' },
      { id: 'consumer/analytics/member-2', machine: 'consumer' },
      { id: 'consumer/g848/member-1', machine: 'consumer-membership' },
    ]);
  });

  it('an inspected transaction coordinator and transaction manager are listed under those machine names', () => {
    const { machineNames } = createStatechartImages();
    const directory = createInspectedActorDirectory({ maxActors: 10, maxRecentStates: 4, machineNames });
    const register = (sessionId: string, name: string, chart: keyof typeof STATECHARTS, state: string) =>
      directory.receive(1, JSON.stringify({ type: '@xstate.actor', sessionId, name, definition: JSON.stringify({ id: STATECHARTS[chart]?.machine.id }), snapshot: { value: state, status: 'active' } }));
    register('x:1', 'broker-1/transaction/copier-1', 'transaction-coordinator', 'Ongoing');
    register('x:2', 'producer/copier-1/transaction-manager', 'transaction-manager', 'IN_TRANSACTION');
    expect(directory.list().map(({ id, machine, state }) => ({ id, machine, state }))).toEqual([
      { id: 'broker-1/transaction/copier-1', machine: 'transaction-coordinator', state: 'Ongoing' },
      { id: 'producer/copier-1/transaction-manager', machine: 'transaction-manager', state: 'IN_TRANSACTION' },
    ]);
  });
});
