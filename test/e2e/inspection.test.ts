/**
 * Live inspection with real processes (issue 5): a cluster and a consumer started with
 * `--inspect ws://127.0.0.1:<port>` stream their statecharts to a plain WebSocket server started here,
 * which speaks the relay's side of the protocol (one JSON inspection event per text message). The
 * consumer's group actor shows up as `consumer/<group>/<client id>`, is registered again as
 * `consumer/<group>/<member id>` once the coordinator gives it one, and goes unjoined → joining →
 * syncing → stable; the brokers' actors show up as `broker-N/...`; a `kactor produce` shows up as
 * `producer/console-producer` and goes ready → closing → closed before it exits.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { startCommand, type RunningCommand } from './support/processes.js';

interface Received {
  /** Which connection (process) sent it: session ids (`x:N`) are only unique within one process. */
  connection: number;
  type: string;
  name?: string;
  sessionId: string;
  snapshot?: { value?: unknown };
  event?: { type?: string };
}

/** The top-level state name of a snapshot value (`'stable'`, or `{ stable: ... }`). */
const topState = (value: unknown) => (typeof value === 'string' ? value : value !== null && typeof value === 'object' ? Object.keys(value)[0] : undefined);

describe('live inspection with real processes', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-inspection');
  const received: Received[] = [];
  let server: WebSocketServer;
  let relayUrl: string;
  let cluster: RunningCluster;
  const commands: RunningCommand[] = [];

  const actorNames = () => received.filter((event) => event.type === '@xstate.actor').map((event) => event.name ?? '');

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    relayUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let connections = 0;
    server.on('connection', (socket) => {
      connections += 1;
      const connection = connections;
      socket.on('message', (data) => received.push({ ...(JSON.parse(String(data)) as Omit<Received, 'connection'>), connection }));
    });
    cluster = await startCluster({ brokers: 2, dataDir: dataDir.path, extraArgs: ['--inspect', relayUrl] });
    const created = await kactor(['topics', 'create', 'orders', '--partitions', '2', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const command of commands) await command.stop('SIGKILL');
    await cluster?.stop('SIGINT');
    await new Promise((resolve) => server?.close(resolve));
    dataDir.remove();
  });

  it('a broker started with --inspect shows its actors as broker-N/...', async () => {
    await eventually(
      async () => (['broker-0/controller', 'broker-0/broker', 'broker-1/broker'].every((name) => actorNames().includes(name)) ? true : undefined),
      30_000,
      'the controller and both brokers at the relay',
    );
    await eventually(async () => (actorNames().some((name) => /^broker-[01]\/partition\/orders-[01]$/.test(name)) ? true : undefined), 30_000, 'a partition of orders at the relay');
    // Every node's Raft replica of the metadata log is inspected too (issue 12).
    expect(actorNames()).toEqual(expect.arrayContaining(['broker-0/raft/__cluster_metadata-0', 'broker-1/raft/__cluster_metadata-0']));
    expect(actorNames().filter((name) => !/^broker-[01]\/(controller|broker|raft\/__cluster_metadata-0|partition\/.+|group\/.+)$/.test(name))).toEqual([]);
  });

  it('a consumer started with --inspect is seen with its state changes in order: unjoined → joining → syncing → stable', async () => {
    const consumer = startCommand(['consume', 'orders', '--group', 'analytics', '--from-beginning', '--json', '--events', '--inspect', relayUrl, '--bootstrap-server', cluster.bootstrap]);
    commands.push(consumer);
    const registration = await eventually(
      async () => received.find((event) => event.type === '@xstate.actor' && event.name?.startsWith('consumer/analytics/')),
      60_000,
      'the consumer registered at the relay',
    );
    // Named after the console consumer's client.id (as in Kafka) until the coordinator assigns the member id;
    // a relay that the process reached only after that sees the member-id name alone.
    expect(registration.name).toMatch(/^consumer\/analytics\/console-consumer/);
    const registrations = () => received.filter((event) => event.type === '@xstate.actor' && event.connection === registration.connection && event.sessionId === registration.sessionId);
    const states = () => {
      const ofConsumer = received.filter((event) => event.connection === registration.connection && event.sessionId === registration.sessionId);
      const names = ofConsumer.flatMap((event) => (event.snapshot === undefined ? [] : [topState(event.snapshot.value)]));
      return names.filter((name, index) => name !== names[index - 1]);
    };
    await eventually(async () => (states().includes('stable') ? true : undefined), 60_000, 'the consumer stable at the relay');
    expect(states().slice(0, 4)).toEqual(['unjoined', 'joining', 'syncing', 'stable']);
    // Then the same actor is registered again under its member id, which Kafka builds from the client id.
    const memberIds = received.flatMap((event) => {
      const memberId = (event.snapshot as { context?: { memberId?: unknown } } | undefined)?.context?.memberId;
      return event.connection === registration.connection && event.sessionId === registration.sessionId && typeof memberId === 'string' && memberId !== '' ? [memberId] : [];
    });
    expect(memberIds.at(-1)).toMatch(/^console-consumer-./);
    const names = registrations().map((event) => event.name);
    expect(names.at(-1)).toBe(`consumer/analytics/${memberIds.at(-1)}`);
    expect(names.filter((name) => name !== 'consumer/analytics/console-consumer' && name !== names.at(-1))).toEqual([]);
    // The group's coordinator appears too, on the broker that leads its __consumer_offsets partition.
    await eventually(async () => (actorNames().some((name) => /^broker-[01]\/group\/analytics$/.test(name)) ? true : undefined), 30_000, 'the group actor at the relay');
    // Heartbeats and polls are filtered out: none reach the relay.
    expect(received.filter((event) => event.type === '@xstate.event' && ['app.poll', 'response.heartbeat', 'request.heartbeat'].includes(event.event?.type ?? ''))).toEqual([]);
  });

  it('a producer started with --inspect is seen as producer/console-producer, from ready to closed', async () => {
    const produced = await kactor(['produce', 'orders', '--inspect', relayUrl, '--bootstrap-server', cluster.bootstrap], { input: 'one\ntwo\nthree\n' });
    expect(produced.code, produced.stderr).toBe(0);
    const registration = await eventually(async () => received.find((event) => event.type === '@xstate.actor' && event.name === 'producer/console-producer'), 30_000, 'the producer at the relay');
    const states = received
      .filter((event) => event.connection === registration.connection && event.sessionId === registration.sessionId)
      .flatMap((event) => (event.snapshot === undefined ? [] : [topState(event.snapshot.value)]))
      .filter((name, index, names) => name !== names[index - 1]);
    // The process stops once the producer closed, so every state it went through has reached the relay.
    expect(states).toEqual(['ready', 'closing', 'closed']);
  });

  it('an inspected consumer still stops on Ctrl-C when its relay has gone away, also when the Ctrl-C comes twice (as a wrapper relays it)', async () => {
    const consumer = startCommand(['consume', 'orders', '--group', 'billing', '--from-beginning', '--json', '--events', '--inspect', 'ws://127.0.0.1:9', '--bootstrap-server', cluster.bootstrap]);
    commands.push(consumer);
    await eventually(async () => (consumer.lines().some((line) => line.type === 'assigned') ? true : undefined), 60_000, 'the consumer assigned its partitions');
    consumer.process.kill('SIGINT');
    // The second copy arrives while the consumer is closing (it has revoked its partitions, and still has to
    // commit, leave and give its inspection connection a moment): it must not cut the close short.
    await eventually(async () => (consumer.lines().some((line) => line.type === 'revoked') ? true : undefined), 30_000, 'the consumer closing');
    expect(await consumer.stop('SIGINT')).toBe(0);
    expect(consumer.stderr()).toMatch(/Processed a total of \d+ messages/);
  });
});
