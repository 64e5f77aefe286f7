/**
 * A broker's connection limits (issue 10, B3), set like any broker config: past `max.connections` or
 * `max.connections.per.ip` a client is refused with an error naming the limit, while the broker's own control
 * plane (cluster connections) keeps working; `connections.max.idle.ms` closes connections nobody uses, which
 * frees their slots.
 */
import type { RequestBody } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { haltSingleNodes, startSingleNode } from '@kactor/simulation';

afterEach(haltSingleNodes);

const metadataRequest: RequestBody<'metadata'> = { topics: null, allowAutoTopicCreation: false };

describe('connection limits of a broker', () => {
  it('refuses the client past max.connections, naming the limit, and keeps its control plane and other clients working', async () => {
    const h = await startSingleNode({ brokerConfig: { 'max.connections': '2' } });
    const first = h.client(undefined, 'app-1');
    const second = h.client(undefined, 'app-2');
    const third = h.client(undefined, 'app-3');
    expect((await h.call(first, 'metadata', metadataRequest)).ok).toBe(true);
    expect((await h.call(second, 'metadata', metadataRequest)).ok).toBe(true);
    const refused = await h.call(third, 'metadata', metadataRequest);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.name).toBe('NETWORK_EXCEPTION');
    expect(refused.error.message).toContain('max.connections (2) reached');
    // Heartbeats travel on cluster connections, which are not counted: the broker stays unfenced and running.
    await h.clock.advanceByAsync(20_000);
    expect(h.node.brokerState()).toBe('RUNNING');
    expect((await h.call(first, 'metadata', metadataRequest)).ok).toBe(true);
  });

  it('refuses a second connection from one address past max.connections.per.ip, and serves other addresses', async () => {
    const h = await startSingleNode({ brokerConfig: { 'max.connections.per.ip': '1' } });
    expect((await h.call(h.client(undefined, 'app-1'), 'metadata', metadataRequest)).ok).toBe(true);
    const refused = await h.call(h.client(undefined, 'app-1'), 'metadata', metadataRequest);
    expect(refused.ok ? undefined : refused.error.message).toMatch(/max\.connections\.per\.ip \(1\) reached for app-1/);
    expect((await h.call(h.client(undefined, 'app-2'), 'metadata', metadataRequest)).ok).toBe(true);
  });

  it('closes idle connections after connections.max.idle.ms, which frees a slot for the next client', async () => {
    const h = await startSingleNode({ brokerConfig: { 'max.connections': '1', 'connections.max.idle.ms': '5000' } });
    const idle = h.client(undefined, 'app-1');
    expect((await h.call(idle, 'metadata', metadataRequest)).ok).toBe(true);
    const waiting = h.client(undefined, 'app-2');
    const refused = await h.call(waiting, 'metadata', metadataRequest);
    expect(refused.ok ? undefined : refused.error.message).toContain('max.connections (1) reached');
    await h.clock.advanceByAsync(5_000);
    expect(idle.state).not.toBe('connected');
    expect((await h.call(waiting, 'metadata', metadataRequest)).ok).toBe(true);
    // The idle client reconnects when it needs the broker again (once the slot is free).
    waiting.close();
    await h.clock.advanceByAsync(100);
    expect((await h.call(idle, 'metadata', metadataRequest)).ok).toBe(true);
  });
});
