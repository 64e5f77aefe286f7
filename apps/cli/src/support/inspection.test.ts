import { inspectionOff, TransportError, type Inspection, type InspectionRelay } from '@kactor/runtime';
import { describe, expect, it, vi } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { parseInspectUrl, startCliInspection, type InspectionWiring } from './inspection.js';

function wiring(relay?: Partial<InspectionRelay> | Error) {
  const printed: string[] = [];
  const created = { inspect: () => undefined, rename: vi.fn(() => undefined), close: vi.fn(async () => undefined) } satisfies Inspection;
  const spies = {
    startRelay: vi.fn(async () => {
      if (relay instanceof Error) throw relay;
      return { url: 'ws://127.0.0.1:9170', viewerUrl: 'http://127.0.0.1:9170', close: vi.fn(async () => undefined), ...relay };
    }),
    createInspection: vi.fn(() => created),
    print: (line: string) => printed.push(line),
  } satisfies InspectionWiring;
  return { spies, printed, created };
}

describe('startCliInspection', () => {
  it('without --inspect: starts no relay, opens no socket, gives the actors no inspect callback', () => {
    const { spies, printed } = wiring();
    const inspection = startCliInspection(undefined, spies);
    expect(inspection).toBe(inspectionOff);
    expect(inspection.inspect).toBeUndefined();
    expect(spies.startRelay).not.toHaveBeenCalled();
    expect(spies.createInspection).not.toHaveBeenCalled();
    expect(printed).toEqual([]);
  });

  it('with a URL: streams there and starts no relay', () => {
    const { spies } = wiring();
    startCliInspection('ws://127.0.0.1:9999', spies);
    expect(spies.startRelay).not.toHaveBeenCalled();
    expect(spies.createInspection).toHaveBeenCalledWith(expect.objectContaining({ url: 'ws://127.0.0.1:9999' }));
  });

  it('bare: starts a relay on 127.0.0.1, says the viewer needs the internet, and stops the relay on close', async () => {
    const close = vi.fn(async () => undefined);
    const { spies, printed, created } = wiring({ close });
    const inspection = startCliInspection(true, spies);
    const url = await (spies.createInspection.mock.calls[0] as unknown as [{ url: Promise<string> }])[0].url;
    expect(url).toBe('ws://127.0.0.1:9170');
    expect(spies.startRelay).toHaveBeenCalledWith({ host: '127.0.0.1', port: 9170 });
    expect(printed.join(' ')).toMatch(/open http:\/\/127\.0\.0\.1:9170.*needs the internet/s);
    // A consumer renamed after its member id is renamed in the inspection that streams it.
    const actor = { sessionId: 'x:0' } as AnyActorRef;
    inspection.rename(actor, 'consumer/g/c-1');
    expect(created.rename).toHaveBeenCalledWith(actor, 'consumer/g/c-1');
    await inspection.close();
    expect(close).toHaveBeenCalledOnce();
  });

  it('says a failed connection on stderr in one line, and hands the secret on', () => {
    const { spies, printed } = wiring();
    startCliInspection('ws://127.0.0.1:9999/nothing', spies, 's3cret');
    const options = (spies.createInspection.mock.calls[0] as unknown as [{ secret?: string; onConnectionError(message: string): void }])[0];
    expect(options.secret).toBe('s3cret');
    options.onConnectionError('cannot connect to ws://127.0.0.1:9999/nothing: HTTP 404');
    expect(printed.at(-1)).toBe('inspection: cannot connect to ws://127.0.0.1:9999/nothing: HTTP 404');
  });

  it('bare, with the port taken by another process: joins that relay', async () => {
    const { spies, printed } = wiring(new TransportError('ADDRESS_IN_USE', 'in use'));
    startCliInspection(true, spies);
    const url = await (spies.createInspection.mock.calls[0] as unknown as [{ url: Promise<string> }])[0].url;
    expect(url).toBe('ws://127.0.0.1:9170');
    expect(printed.join(' ')).toContain('already on ws://127.0.0.1:9170');
  });
});

describe('parseInspectUrl', () => {
  it('takes ws URLs only, so a topic name after --inspect is not taken for one', () => {
    expect(parseInspectUrl('ws://127.0.0.1:9170')).toBe('ws://127.0.0.1:9170');
    expect(() => parseInspectUrl('orders')).toThrow(/relay URL/);
  });
});
