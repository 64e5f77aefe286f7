/**
 * The dashboard's JSON endpoints against a fake admin client: the shapes the page and scripts read, the
 * errors (404 unknown group, 405 non-GET, 400 body or bad encoding, 403 foreign Host, 502 cluster
 * failure) and the bounds (503 past maxConcurrentRequests, 500 past maxResponseBytes).
 */
import { request } from 'node:http';
import { NoQuorumLeaderError, type PartitionDescription } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActorDirectory } from './actor-directory.js';
import { adminClusterSource, type ClusterSource } from './cluster-source.js';
import { fakeAdmin, fakeTopic } from './fake-admin.fixture.js';
import { dashboardLimits, type DashboardLimits } from './limits.js';
import { DashboardListenError, startDashboardServer, type RunningDashboard } from './server.js';

const running: RunningDashboard[] = [];
afterEach(async () => {
  for (const dashboard of running.splice(0)) await dashboard.close();
});

async function start(options: { source?: ClusterSource; actors?: ActorDirectory; limits?: DashboardLimits; admin?: ReturnType<typeof fakeAdmin>; clock?: { now(): number } } = {}) {
  const dashboard = await startDashboardServer({
    source: options.source ?? adminClusterSource(options.admin ?? fakeAdmin(), options.clock ?? { now: () => 0 }, options.limits),
    actors: options.actors ?? { list: () => [] },
    port: 0,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  running.push(dashboard);
  return dashboard;
}

/** A raw HTTP request, so tests can send what fetch() would refuse (a foreign Host header, a GET with a body). */
function send(dashboard: RunningDashboard, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port: dashboard.port, path, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const getJson = async (dashboard: RunningDashboard, path: string) => {
  const response = await send(dashboard, path);
  return { status: response.status, body: JSON.parse(response.text) as Record<string, unknown> };
};

describe('dashboard JSON endpoints', () => {
  it('GET /api/cluster lists brokers (alive, controller) and topics with leaders and offsets', async () => {
    const dashboard = await start();
    const { status, body } = await getJson(dashboard, '/api/cluster');
    expect(status).toBe(200);
    expect(body).toEqual({
      clusterId: 'cluster-1',
      controllerId: 0,
      brokers: [
        { id: 0, url: 'ws://127.0.0.1:9100', alive: true, controller: true },
        { id: 1, url: 'ws://127.0.0.1:9101', alive: true, controller: false },
      ],
      topics: [
        {
          name: 'orders',
          partitions: [
            { partition: 0, leader: 0, leaderEpoch: 0, replicas: [0], isr: [0], logStartOffset: 0, highWatermark: 100, logEndOffset: 100 },
            { partition: 1, leader: 1, leaderEpoch: 0, replicas: [1], isr: [1], logStartOffset: 0, highWatermark: 101, logEndOffset: 101 },
          ],
        },
      ],
      topicsOmitted: 0,
      events: [],
      quorum: null,
    });
  });

  it('GET /api/cluster gives the metadata quorum as cluster quorum --json does, and leaderId -1 when it has no leader', async () => {
    const voter = (replicaId: number, logEndOffset: number) => ({ replicaId, logEndOffset, lag: 12 - logEndOffset, lastFetchTimestamp: 5, lastCaughtUpTimestamp: 5 });
    const state: Parameters<typeof fakeAdmin>[0] = { brokers: [0, 1], quorum: { leaderId: 1, leaderEpoch: 3, highWatermark: 12, voters: [voter(0, 10), voter(1, 12)], observers: [] } };
    const dashboard = await start({ admin: fakeAdmin(state) });
    expect((await getJson(dashboard, '/api/cluster')).body.quorum).toEqual({ leaderId: 1, leaderEpoch: 3, highWatermark: 12, voters: [voter(0, 10), voter(1, 12)], observers: [] });
    state.quorum = new NoQuorumLeaderError(4, [0, 1]);
    expect((await getJson(dashboard, '/api/cluster')).body.quorum).toEqual({ leaderId: -1, leaderEpoch: 4, highWatermark: -1, voters: [], observers: [] });
  });

  it('GET /api/cluster keeps a timeline of what changed between polls: broker fenced, offline, online, leader change, ISR shrink/expand', async () => {
    let nowMs = 1_000;
    const [first, second] = fakeTopic.partitions as [PartitionDescription, PartitionDescription];
    const state: { brokers: number[]; partitions: PartitionDescription[] } = { brokers: [0, 1], partitions: [first, { ...second, replicas: [1, 0], isr: [1, 0] }] };
    const dashboard = await start({ admin: fakeAdmin(state), clock: { now: () => nowMs } });
    expect((await getJson(dashboard, '/api/cluster')).body.events).toEqual([]);
    expect((await getJson(dashboard, '/api/cluster')).body.events).toEqual([]); // nothing changed: nothing recorded

    // Broker 1 dies: partition 0 (RF 1, on broker 0) stays; partition 1 moves to broker 0, its ISR shrinks.
    nowMs = 2_000;
    state.brokers = [0];
    state.partitions = [{ ...first, leader: -1, leaderEpoch: 1 }, { ...second, leader: 0, leaderEpoch: 1, replicas: [1, 0], isr: [0] }];
    const down = await getJson(dashboard, '/api/cluster');
    expect(down.body.events).toEqual([
      { atMs: 2_000, kind: 'broker-fenced', broker: 1 },
      { atMs: 2_000, topic: 'orders', partition: 0, kind: 'offline', from: 0, to: -1, leaderEpoch: 1 },
      { atMs: 2_000, topic: 'orders', partition: 1, kind: 'leader-change', from: 1, to: 0, leaderEpoch: 1 },
      { atMs: 2_000, topic: 'orders', partition: 1, kind: 'isr-shrink', from: [1, 0], to: [0], leaderEpoch: 1 },
    ]);
    expect((down.body.topics as Array<{ partitions: Array<{ leaderEpoch: number }> }>)[0]?.partitions.map((partition) => partition.leaderEpoch)).toEqual([1, 1]);

    nowMs = 3_000;
    state.brokers = [0, 1];
    state.partitions = [{ ...first, leader: 0, leaderEpoch: 2 }, { ...second, leader: 0, leaderEpoch: 1, replicas: [1, 0], isr: [0, 1] }];
    const up = (await getJson(dashboard, '/api/cluster')).body.events as Array<Record<string, unknown>>;
    expect(up.slice(4)).toEqual([
      { atMs: 3_000, kind: 'broker-unfenced', broker: 1 },
      { atMs: 3_000, topic: 'orders', partition: 0, kind: 'online', from: -1, to: 0, leaderEpoch: 2 },
      { atMs: 3_000, topic: 'orders', partition: 1, kind: 'isr-expand', from: [0], to: [0, 1], leaderEpoch: 1 },
    ]);
  });

  it('does not put a view on the timeline that answered after a newer one (two tabs polling)', async () => {
    const state = { brokers: [0, 1] };
    const base = fakeAdmin(state);
    let release: () => void = () => undefined;
    const held = new Promise<void>((done) => (release = done));
    let holdNext = false;
    const admin: ReturnType<typeof fakeAdmin> = {
      ...base,
      describeCluster: async (options) => {
        const answer = await base.describeCluster(options); // the cluster as it is when the call starts
        if (holdNext) {
          holdNext = false;
          await held;
        }
        return answer;
      },
    };
    const dashboard = await start({ admin });
    await getJson(dashboard, '/api/cluster');
    holdNext = true;
    const older = getJson(dashboard, '/api/cluster'); // sees broker 1, answers last
    await new Promise((done) => setTimeout(done, 50));
    state.brokers = [0];
    const newer = await getJson(dashboard, '/api/cluster');
    expect(newer.body.events).toEqual([{ atMs: 0, kind: 'broker-fenced', broker: 1 }]);
    release();
    expect((await older).body.events).toEqual([{ atMs: 0, kind: 'broker-fenced', broker: 1 }]);
    expect((await getJson(dashboard, '/api/cluster')).body.events).toEqual([{ atMs: 0, kind: 'broker-fenced', broker: 1 }]);
  });

  it('keeps only the newest maxClusterEvents on the timeline', async () => {
    const state: { brokers: number[] } = { brokers: [0, 1] };
    const dashboard = await start({ admin: fakeAdmin(state), limits: { ...dashboardLimits, maxClusterEvents: 2 } });
    await getJson(dashboard, '/api/cluster');
    for (const brokers of [[0], [0, 1], [0], [0, 1]]) {
      state.brokers = brokers;
      await getJson(dashboard, '/api/cluster');
    }
    expect((await getJson(dashboard, '/api/cluster')).body.events).toEqual([
      { atMs: 0, kind: 'broker-fenced', broker: 1 },
      { atMs: 0, kind: 'broker-unfenced', broker: 1 },
    ]);
  });

  it('keeps a broker that left Metadata in the list, alive: false', async () => {
    const state = { brokers: [0, 1] };
    const dashboard = await start({ admin: fakeAdmin(state) });
    await getJson(dashboard, '/api/cluster');
    state.brokers = [0];
    const { body } = await getJson(dashboard, '/api/cluster');
    expect(body.brokers).toEqual([
      { id: 0, url: 'ws://127.0.0.1:9100', alive: true, controller: true },
      { id: 1, url: 'ws://127.0.0.1:9101', alive: false, controller: false },
    ]);
  });

  it('GET /api/groups/:id gives the groups describe --json shape plus the rebalance records', async () => {
    const dashboard = await start();
    const { status, body } = await getJson(dashboard, '/api/groups/analytics');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['group', 'type', 'state', 'protocol', 'generation', 'coordinator', 'members', 'partitions', 'rebalances']);
    expect(body).toMatchObject({ group: 'analytics', state: 'Stable', protocol: 'range', generation: 3, coordinator: 0 });
    expect(body.members).toEqual([
      { memberId: 'member-a', clientId: 'a', host: '/127.0.0.1', instanceId: null, assignment: [{ topic: 'orders', partition: 0 }] },
      { memberId: 'member-b', clientId: 'b', host: '/127.0.0.1', instanceId: null, assignment: [{ topic: 'orders', partition: 1 }] },
    ]);
    expect(body.partitions).toEqual([
      { topic: 'orders', partition: 0, committedOffset: 90, logEndOffset: 100, lag: 10, memberId: 'member-a' },
      { topic: 'orders', partition: 1, committedOffset: null, logEndOffset: 101, lag: null, memberId: 'member-b' },
    ]);
    const [record] = body.rebalances as Array<Record<string, unknown>>;
    expect(record).toMatchObject({ sequence: 1, trigger: 'session-timeout', durationMs: 400, partitionsMoved: 1 });
    expect((record?.members as Array<Record<string, unknown>>).map((member) => member.pausedMs)).toEqual([120, 0]);
  });

  it('GET /api/groups describes every group', async () => {
    const dashboard = await start();
    const { status, body } = await getJson(dashboard, '/api/groups');
    expect(status).toBe(200);
    expect(body.groupsOmitted).toBe(0);
    expect((body.groups as Array<Record<string, unknown>>).map((group) => [group.group, group.type, group.state, (group.members as unknown[]).length])).toEqual([
      ['analytics', 'classic', 'Stable', 2],
      ['g848', 'consumer', 'Reconciling', 2],
    ]);
  });

  it('GET /api/groups/:id of a consumer group (KIP-848) gives its type, epochs, and each member\'s epoch, state and target', async () => {
    const dashboard = await start();
    const { status, body } = await getJson(dashboard, '/api/groups/g848');
    expect(status).toBe(200);
    expect(body).toMatchObject({ group: 'g848', type: 'consumer', state: 'Reconciling', protocol: 'uniform', groupEpoch: 7, targetAssignmentEpoch: 7 });
    expect(body.members).toEqual([
      { memberId: 'member-c', clientId: 'c', host: '/127.0.0.1', instanceId: null, assignment: [], memberEpoch: 7, memberState: 'UNRELEASED_PARTITIONS', targetAssignment: [{ topic: 'orders', partition: 1 }], partitionsPendingRevocation: [] },
      {
        memberId: 'member-d',
        clientId: 'd',
        host: '/127.0.0.1',
        instanceId: null,
        assignment: [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }],
        memberEpoch: 6,
        memberState: 'UNREVOKED_PARTITIONS',
        targetAssignment: [{ topic: 'orders', partition: 0 }],
        partitionsPendingRevocation: [{ topic: 'orders', partition: 1 }],
      },
    ]);
  });

  it('GET /api/transactions describes every transactional id as transactions describe --json does (issue 13)', async () => {
    const dashboard = await start({ clock: { now: () => 4_000 } });
    expect(await getJson(dashboard, '/api/transactions')).toEqual({
      status: 200,
      body: {
        transactions: [
          {
            coordinatorId: 1,
            transactionalId: 'copier-1',
            producerId: 4_000,
            producerEpoch: 2,
            transactionState: 'Ongoing',
            transactionTimeoutMs: 60_000,
            currentTransactionStartTimeMs: 1_000,
            transactionDurationMs: 3_000,
            topicPartitions: [
              { topic: 'orders', partition: 0 },
              { topic: 'orders', partition: 1 },
            ],
          },
        ],
        transactionsOmitted: 0,
      },
    });
  });

  it('answers 404 GROUP_ID_NOT_FOUND for an unknown group, and 404 for an unknown path', async () => {
    const dashboard = await start();
    expect(await getJson(dashboard, '/api/groups/nobody')).toEqual({ status: 404, body: { error: 'GROUP_ID_NOT_FOUND', message: "consumer group 'nobody' does not exist" } });
    expect((await getJson(dashboard, '/api/brokers')).status).toBe(404);
    expect((await send(dashboard, '/index.php')).status).toBe(404);
  });

  it('GET /api/actors lists the directory (id, machine, state)', async () => {
    const actors = [
      { id: 'consumer/analytics/member-a', machine: 'consumer', state: 'stable' },
      { id: 'broker-0/group/analytics', machine: 'group', state: { stable: 'idle' } },
    ];
    const dashboard = await start({ actors: { list: () => actors } });
    expect(await getJson(dashboard, '/api/actors')).toEqual({ status: 200, body: { actors, actorsOmitted: 0 } });
  });

  it('GET /api/actors is an empty list when no inspection relay feeds the directory', async () => {
    const dashboard = await start();
    expect((await getJson(dashboard, '/api/actors')).body).toEqual({ actors: [], actorsOmitted: 0 });
  });

  it('refuses writes with 405, a GET with a body or a bad group encoding with 400, a foreign Host with 403', async () => {
    const dashboard = await start();
    const post = await send(dashboard, '/api/cluster', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect([post.status, post.headers.allow, JSON.parse(post.text).error]).toEqual([405, 'GET, HEAD', 'METHOD_NOT_ALLOWED']);
    expect((await send(dashboard, '/api/cluster', { method: 'DELETE' })).status).toBe(405);
    expect((await send(dashboard, '/api/cluster', { body: 'x', headers: { 'content-length': '1' } })).status).toBe(400);
    expect((await getJson(dashboard, '/api/groups/%E0%A4%A')).status).toBe(400);
    expect((await send(dashboard, '/api/cluster', { headers: { host: 'evil.example:80' } })).status).toBe(403);
    expect((await send(dashboard, `/api/groups/${'g'.repeat(dashboardLimits.maxUrlChars)}`)).status).toBe(414);
  });

  it('answers 502 with the Kafka error name when the cluster fails', async () => {
    const dashboard = await start({ admin: fakeAdmin({ brokers: [0], failWith: KafkaProtocolError.from('REQUEST_TIMED_OUT', 'no broker answered') }) });
    const { status, body } = await getJson(dashboard, '/api/cluster');
    expect([status, body.error]).toEqual([502, 'REQUEST_TIMED_OUT']);
  });

  it('serves the page, its CSS and JS from files, with no external reference', async () => {
    const dashboard = await start();
    const page = await send(dashboard, '/');
    expect([page.status, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(page.text).toContain('<script src="/dashboard.js"');
    expect(page.text).not.toMatch(/https?:\/\//);
    expect((await send(dashboard, '/dashboard.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const script = await send(dashboard, '/dashboard.js');
    expect(script.text).toContain('/api/groups');
    expect(script.text).not.toMatch(/https?:\/\//);
  });

  it('answers 503 past maxConcurrentRequests and 500 RESPONSE_TOO_LARGE past maxResponseBytes', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((done) => (release = done));
    const slow: ClusterSource = { cluster: () => held.then(() => ({ clusterId: null, controllerId: -1, brokers: [], topics: [], topicsOmitted: 0, events: [], quorum: null })), groups: async () => ({ groups: [], groupsOmitted: 0 }), transactions: async () => ({ transactions: [], transactionsOmitted: 0 }), group: async () => null };
    const dashboard = await start({ source: slow, limits: { ...dashboardLimits, maxConcurrentRequests: 2 } });
    const first = [send(dashboard, '/api/cluster'), send(dashboard, '/api/cluster')];
    await new Promise((done) => setTimeout(done, 50));
    const refused = await send(dashboard, '/api/cluster');
    expect([refused.status, refused.headers['retry-after'], JSON.parse(refused.text).error]).toEqual([503, '1', 'TOO_MANY_REQUESTS']);
    release();
    expect((await Promise.all(first)).map((response) => response.status)).toEqual([200, 200]);

    const small = await start({ limits: { ...dashboardLimits, maxResponseBytes: 100 } });
    const big = await getJson(small, '/api/cluster');
    expect([big.status, big.body.error]).toEqual([500, 'RESPONSE_TOO_LARGE']);
  });

  it('counts what it leaves out past maxTopics, maxGroups and maxTransactions instead of describing everything', async () => {
    const dashboard = await start({ limits: { ...dashboardLimits, maxTopics: 0, maxGroups: 0, maxTransactions: 1 } });
    expect((await getJson(dashboard, '/api/transactions')).body).toMatchObject({ transactions: [{ transactionalId: 'copier-1' }], transactionsOmitted: 1 });
    expect((await getJson(dashboard, '/api/cluster')).body).toMatchObject({ topics: [], topicsOmitted: 1 });
    expect((await getJson(dashboard, '/api/groups')).body).toEqual({ groups: [], groupsOmitted: 2 });
  });

  it('fails with DashboardListenError when its port is taken', async () => {
    const first = await start();
    await expect(startDashboardServer({ source: adminClusterSource(fakeAdmin(), { now: () => 0 }), actors: { list: () => [] }, port: first.port })).rejects.toThrow(DashboardListenError);
  });
});
