import { describe, expect, it } from 'vitest';
import { waitFor } from '../transport/test-support.js';
import { createMemoryStreamPair } from './memory-stream.js';

const WAIT_MS = 5_000;

describe('createMemoryStreamPair', () => {
  it('delivers in order, holds bytes while paused and counts them as buffered, then drains', async () => {
    const { server, client } = createMemoryStreamPair();
    const received: number[] = [];
    let drained = 0;
    server.onData((bytes) => received.push(...bytes));
    client.onDrain(() => (drained += 1));
    server.pause();
    client.write(Uint8Array.of(1, 2));
    client.write(Uint8Array.of(3));
    await Promise.resolve();
    expect(received).toEqual([]);
    expect(client.bufferedAmount).toBe(3);
    server.resume();
    await waitFor(() => received.length === 3, WAIT_MS, 'delivery after resume');
    expect(received).toEqual([1, 2, 3]);
    expect(client.bufferedAmount).toBe(0);
    expect(drained).toBe(1);
  });

  it('runs both ends\' close handlers once, after the data already written', async () => {
    const { server, client } = createMemoryStreamPair();
    const events: string[] = [];
    client.onData(() => events.push('data'));
    client.onClose((reason) => events.push(`client closed: ${reason}`));
    server.onClose(() => events.push('server closed'));
    server.write(Uint8Array.of(9));
    server.close('bye');
    server.close('again');
    await waitFor(() => events.length === 3, WAIT_MS, 'both closes');
    expect(events).toEqual(['data', 'server closed', 'client closed: bye']);
    expect(client.isOpen).toBe(false);
  });
});
