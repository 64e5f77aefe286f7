/**
 * The behaviour every `Transport` must show, as one vitest suite: the WebSocket and the in-memory
 * transport both run it (`ws-transport.test.ts`, `memory-transport.test.ts`), so a simulation exercises
 * the same contract the real network does. Not exported from the package: it imports vitest.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../random/seeded-random.js';
import { TransportError, type CloseReason, type ConnectOptions, type Connection, type Listener, type ListenOptions, type Transport } from './transport.js';

export interface TransportHarness {
  readonly transport: Transport;
  /** The host listeners bind: an interface for ws, a node name for memory. */
  readonly host: string;
  /** An address nothing listens on. */
  unusedAddress(): Promise<string>;
  /** Resolves once `condition` holds, letting the transport's time pass: real time, or the simulated clock. */
  waitFor(condition: () => boolean, description: string): Promise<void>;
}

/** What one side of a connection has received so far. */
interface Received {
  readonly connection: Connection;
  readonly frames: Uint8Array[];
  readonly closes: CloseReason[];
}

const FRAME_LIMIT_BYTES = 4 * 1024 * 1024;

export function describeTransportCompliance(name: string, createHarness: () => TransportHarness): void {
  describe(`${name}: transport compliance`, () => {
    const listeners: Listener[] = [];
    let harness: TransportHarness;

    afterEach(async () => {
      await Promise.all(listeners.splice(0).map((listener) => listener.close()));
    });

    const setUp = (): TransportHarness => (harness = createHarness());

    const receive = (connection: Connection): Received => {
      const received: Received = { connection, frames: [], closes: [] };
      connection.onFrame((frame) => received.frames.push(frame));
      connection.onClose((reason) => received.closes.push(reason));
      return received;
    };

    /** Awaits a promise that may need the transport's time to pass before it settles. */
    const settle = async <T>(promise: Promise<T>): Promise<T> => {
      let settled = false;
      promise.then(
        () => (settled = true),
        () => (settled = true),
      );
      await harness.waitFor(() => settled, 'the operation settles');
      return promise;
    };

    /** Listens; `accepted` fills with the server side of each connection. */
    const listen = async (
      overrides: Partial<ListenOptions> = {},
      onAccepted: (received: Received) => void = () => undefined,
    ): Promise<{ listener: Listener; accepted: Received[] }> => {
      const accepted: Received[] = [];
      const options: ListenOptions = { host: harness.host, port: 0, maxFrameBytesHard: FRAME_LIMIT_BYTES, ...overrides };
      const listener = await settle(
        harness.transport.listen(options, (connection) => {
          const received = receive(connection);
          accepted.push(received);
          onAccepted(received);
        }),
      );
      listeners.push(listener);
      return { listener, accepted };
    };

    const connect = async (listener: Listener, options: ConnectOptions = {}): Promise<Received> =>
      receive(await settle(harness.transport.connect(listener.url, { maxFrameBytesHard: FRAME_LIMIT_BYTES, ...options })));

    /** One connection with both sides received. */
    const openPair = async (
      overrides: Partial<ListenOptions> = {},
      onAccepted?: (received: Received) => void,
    ): Promise<{ listener: Listener; client: Received; server: Received }> => {
      const { listener, accepted } = await listen(overrides, onAccepted);
      const client = await connect(listener);
      await harness.waitFor(() => accepted.length === 1, 'the server accepts the connection');
      return { listener, client, server: accepted[0] as Received };
    };

    const echo = (received: Received): void => received.connection.onFrame((frame) => received.connection.send(frame));

    const expectTransportError = async (promise: Promise<unknown>, code: TransportError['code']): Promise<void> => {
      const error = await settle(promise).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).code).toBe(code);
    };

    /** Connects until a connection is admitted: a freed slot is released once the transport noticed the close. */
    const waitForAdmission = async (listener: Listener): Promise<void> => {
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const outcome = await settle(harness.transport.connect(listener.url, { maxFrameBytesHard: FRAME_LIMIT_BYTES })).catch(() => undefined);
        if (outcome !== undefined) return;
        let checked = false;
        await harness.waitFor(() => checked || ((checked = true), false), 'a moment passes');
      }
      throw new Error('no connection was admitted after a slot was freed');
    };

    const numbered = (index: number): Uint8Array => Uint8Array.of(index >> 8, index & 0xff);
    const numberOf = (frame: Uint8Array): number => (frame[0] as number) * 256 + (frame[1] as number);

    it('delivers frames in order in both directions', async () => {
      setUp();
      const { client, server } = await openPair();
      for (let index = 0; index < 300; index += 1) {
        client.connection.send(numbered(index));
        server.connection.send(numbered(1000 + index));
      }
      await harness.waitFor(() => server.frames.length === 300 && client.frames.length === 300, 'all frames arrive');
      expect(server.frames.map(numberOf)).toEqual(Array.from({ length: 300 }, (_, index) => index));
      expect(client.frames.map(numberOf)).toEqual(Array.from({ length: 300 }, (_, index) => 1000 + index));
    });

    it('preserves binary content exactly, from empty frames to 1 MiB', async () => {
      setUp();
      const random = createSeededRandom('compliance-content');
      const frames = [
        new Uint8Array(0),
        Uint8Array.from({ length: 256 }, (_, index) => index),
        random.nextBytes(1024 * 1024),
        new Uint8Array(0),
        random.nextBytes(70_000), // longer than a 16-bit WebSocket length
      ];
      const { client } = await openPair({}, echo);
      for (const frame of frames) client.connection.send(frame);
      await harness.waitFor(() => client.frames.length === frames.length, 'every frame comes back');
      client.frames.forEach((frame, index) => {
        expect(frame).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(frame).equals(Buffer.from(frames[index] as Uint8Array))).toBe(true);
      });
    });

    it('serves many concurrent connections, each seeing only its own frames', async () => {
      setUp();
      const { listener, accepted } = await listen({}, echo);
      const clients = await Promise.all(Array.from({ length: 40 }, () => connect(listener)));
      clients.forEach((client, clientIndex) => {
        for (let index = 0; index < 20; index += 1) client.connection.send(Uint8Array.of(clientIndex, index));
      });
      await harness.waitFor(() => clients.every((client) => client.frames.length === 20), 'every client gets its echoes');
      expect(accepted).toHaveLength(40);
      clients.forEach((client, clientIndex) => {
        expect(client.frames.map((frame) => Array.from(frame))).toEqual(Array.from({ length: 20 }, (_, index) => [clientIndex, index]));
      });
      const ids = [...clients, ...accepted].map((received) => received.connection.id);
      expect(new Set(ids).size).toBe(80);
    });

    it('reports the peer of each side', async () => {
      setUp();
      const { listener, client, server } = await openPair();
      expect(client.connection.remoteAddress).toContain(`:${new URL(listener.url).port}`);
      expect(server.connection.remoteAddress).toMatch(/:\d+$/);
      expect(client.connection.isOpen && server.connection.isOpen).toBe(true);
    });

    it('a close from the client reaches the server with its code and reason', async () => {
      setUp();
      const { client, server } = await openPair();
      client.connection.close(4000, 'client says bye');
      expect(client.connection.isOpen).toBe(false);
      await harness.waitFor(() => server.closes.length === 1 && client.closes.length === 1, 'both sides see the close');
      expect(server.closes[0]).toEqual({ code: 4000, reason: 'client says bye' });
      expect(client.closes[0]?.code).toBe(4000);
      expect(server.connection.isOpen).toBe(false);
    });

    it('a close from the server reaches the client, after the frames sent before it', async () => {
      setUp();
      const { client, server } = await openPair();
      server.connection.send(numbered(1));
      server.connection.send(numbered(2));
      server.connection.close(4001, 'server says bye');
      await harness.waitFor(() => client.closes.length === 1, 'the client sees the close');
      expect(client.frames.map(numberOf)).toEqual([1, 2]);
      expect(client.closes[0]).toEqual({ code: 4001, reason: 'server says bye' });
      expect(client.connection.isOpen).toBe(false);
    });

    it('drops frames sent after close without throwing, and reports the close once', async () => {
      setUp();
      const { client, server } = await openPair();
      client.connection.close();
      client.connection.send(numbered(7));
      client.connection.close();
      await harness.waitFor(() => server.closes.length === 1 && client.closes.length === 1, 'both sides see the close');
      expect(server.frames).toEqual([]);
      expect(server.closes[0]?.code).toBe(1000);
    });

    it('refuses close codes that cannot go on the wire', async () => {
      setUp();
      const { client } = await openPair();
      expect(() => client.connection.close(1006)).toThrow(RangeError);
      expect(() => client.connection.close(999)).toThrow(RangeError);
      expect(client.connection.isOpen).toBe(true);
    });

    it('holds incoming frames while paused and delivers them in order on resume', async () => {
      setUp();
      const { listener, accepted } = await listen();
      const paused = await connect(listener);
      await harness.waitFor(() => accepted.length === 1, 'the first connection is accepted');
      const probe = await connect(listener);
      await harness.waitFor(() => accepted.length === 2, 'the probe connection is accepted');
      const [pausedServer, probeServer] = accepted as [Received, Received];
      echo(probeServer);
      pausedServer.connection.pause();
      for (let index = 0; index < 5; index += 1) paused.connection.send(numbered(index));
      // A round trip sent after the paused frames: once it is back, those frames had every chance to arrive.
      probe.connection.send(numbered(99));
      await harness.waitFor(() => probe.frames.length === 1, 'the probe round trip completes');
      expect(pausedServer.frames).toEqual([]);
      pausedServer.connection.resume();
      await harness.waitFor(() => pausedServer.frames.length === 5, 'the held frames arrive');
      expect(pausedServer.frames.map(numberOf)).toEqual([0, 1, 2, 3, 4]);
    });

    it('closes only the connection that sends a frame above the hard cap (1009)', async () => {
      setUp();
      const { listener, accepted } = await listen({ maxFrameBytesHard: 1024 }, echo);
      const offender = await connect(listener);
      const bystander = await connect(listener);
      await harness.waitFor(() => accepted.length === 2, 'both connections are accepted');
      offender.connection.send(new Uint8Array(1024)); // at the cap: fine
      await harness.waitFor(() => offender.frames.length === 1, 'the frame at the cap comes back');
      offender.connection.send(new Uint8Array(1025));
      await harness.waitFor(() => offender.closes.length === 1, 'the offender is closed');
      expect(offender.closes[0]?.code).toBe(1009);
      await harness.waitFor(() => accepted[0]!.closes.length === 1, "the server side of the offender's connection closes");
      expect(accepted[0]!.closes[0]?.code).toBe(1009);
      bystander.connection.send(numbered(5));
      await harness.waitFor(() => bystander.frames.length === 1, 'the bystander still gets its echo');
      expect(bystander.connection.isOpen).toBe(true);
    });

    it('refuses a wrong or missing secret before any frame is read', async () => {
      setUp();
      const { listener, accepted } = await listen({ secret: 'correct-horse' });
      await expectTransportError(harness.transport.connect(listener.url, { secret: 'wrong-horse' }), 'AUTHENTICATION_FAILED');
      await expectTransportError(harness.transport.connect(listener.url), 'AUTHENTICATION_FAILED');
      expect(accepted).toEqual([]);
    });

    it('accepts the right secret', async () => {
      setUp();
      const { listener, accepted } = await listen({ secret: 'correct-horse' }, echo);
      const client = await connect(listener, { secret: 'correct-horse' });
      client.connection.send(numbered(3));
      await harness.waitFor(() => client.frames.length === 1, 'the echo comes back');
      expect(accepted).toHaveLength(1);
    });

    it('names the principal at the upgrade: the cluster secret makes a cluster member, the client secret a client', async () => {
      setUp();
      const { listener, accepted } = await listen({ secret: 'correct-horse', clusterSecret: 'cluster-staple' });
      const member = await connect(listener, { secret: 'cluster-staple' });
      await harness.waitFor(() => accepted.length === 1, 'the member is accepted');
      const client = await connect(listener, { secret: 'correct-horse' });
      await harness.waitFor(() => accepted.length === 2, 'the client is accepted');
      expect(accepted.map((received) => received.connection.principal)).toEqual(['cluster', 'client']);
      expect([member.connection.principal, client.connection.principal]).toEqual(['client', 'client']); // the connecting ends
      await expectTransportError(harness.transport.connect(listener.url, { secret: 'battery' }), 'AUTHENTICATION_FAILED');
    });

    it('without a client secret, anyone who is not a cluster member is a client', async () => {
      setUp();
      const { listener, accepted } = await listen({ clusterSecret: 'cluster-staple' });
      await connect(listener);
      await connect(listener, { secret: 'a guess' });
      await connect(listener, { secret: 'cluster-staple' });
      await harness.waitFor(() => accepted.length === 3, 'all three are accepted');
      expect(accepted.map((received) => received.connection.principal)).toEqual(['client', 'client', 'cluster']);
    });

    it('refuses a cluster secret equal to the client secret', async () => {
      setUp();
      await expect(settle(harness.transport.listen({ host: harness.host, port: 0, maxFrameBytesHard: 1024, secret: 'same', clusterSecret: 'same' }, () => undefined))).rejects.toThrow(
        /must differ/,
      );
    });

    it('refuses a client past max.connections, naming the limit; a closed connection frees its slot; cluster members pass', async () => {
      setUp();
      const { listener, accepted } = await listen({ maxConnections: 2, clusterSecret: 'cluster-staple' });
      const first = await connect(listener);
      await connect(listener);
      await harness.waitFor(() => accepted.length === 2, 'two clients are accepted');
      const refused = await settle(harness.transport.connect(listener.url)).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TransportError);
      expect((refused as TransportError).code).toBe('CONNECTION_REFUSED');
      expect((refused as TransportError).message).toContain('max.connections (2) reached');
      expect(accepted).toHaveLength(2);
      await connect(listener, { secret: 'cluster-staple' });
      await harness.waitFor(() => accepted.length === 3, 'a cluster member is accepted past the limit');
      first.connection.close();
      await harness.waitFor(() => accepted[0]!.closes.length === 1, 'the server sees the first client go');
      await waitForAdmission(listener);
      expect(accepted).toHaveLength(4);
    });

    it('refuses a client past max.connections.per.ip, naming the limit', async () => {
      setUp();
      const { listener, accepted } = await listen({ maxConnectionsPerIp: 1 });
      await connect(listener);
      await harness.waitFor(() => accepted.length === 1, 'the first client is accepted');
      const refused = await settle(harness.transport.connect(listener.url)).catch((error: unknown) => error);
      expect((refused as TransportError).code).toBe('CONNECTION_REFUSED');
      expect((refused as TransportError).message).toMatch(/max\.connections\.per\.ip \(1\) reached for /);
      expect(accepted).toHaveLength(1);
    });

    it('counts bytes a peer has not read in bufferedAmount, and says when they drained', async () => {
      setUp();
      const { client, server } = await openPair();
      let drains = 0;
      server.connection.onDrain(() => (drains += 1));
      client.connection.pause(); // a peer that does not read
      const frame = new Uint8Array(1024 * 1024);
      // More than loopback TCP buffers hold (a few MiB), so a real socket keeps most of it too.
      for (let index = 0; index < 48; index += 1) server.connection.send(frame);
      expect(server.connection.bufferedAmount).toBeGreaterThan(16 * 1024 * 1024);
      client.connection.resume();
      await harness.waitFor(() => client.frames.length === 48, 'the peer reads everything');
      await harness.waitFor(() => server.connection.bufferedAmount === 0 && drains >= 1, 'the buffer drains');
    });

    it('refuses to connect where nothing listens', async () => {
      setUp();
      await expectTransportError(harness.transport.connect(await harness.unusedAddress()), 'CONNECTION_REFUSED');
    });

    it('refuses a second listener on an address in use, and the first keeps serving', async () => {
      setUp();
      const { listener } = await listen({}, echo);
      const port = Number(new URL(listener.url).port);
      await expectTransportError(
        harness.transport.listen({ host: harness.host, port, maxFrameBytesHard: 1024 }, () => undefined),
        'ADDRESS_IN_USE',
      );
      const client = await connect(listener);
      client.connection.send(numbered(1));
      await harness.waitFor(() => client.frames.length === 1, 'the first listener still echoes');
    });

    it('closing a listener closes its connections and refuses new ones', async () => {
      setUp();
      const { listener, accepted } = await listen();
      const clients = [await connect(listener), await connect(listener)];
      await harness.waitFor(() => accepted.length === 2, 'both connections are accepted');
      await settle(listener.close());
      await harness.waitFor(() => clients.every((client) => client.closes.length === 1), 'every client sees the close');
      expect(clients.map((client) => client.closes[0]?.code)).toEqual([1001, 1001]);
      expect(accepted.every((server) => !server.connection.isOpen)).toBe(true);
      await expectTransportError(harness.transport.connect(listener.url), 'CONNECTION_REFUSED');
    });
  });
}
