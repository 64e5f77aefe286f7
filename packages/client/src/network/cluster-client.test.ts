import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { ClusterClient } from './cluster-client.js';

let cluster: FakeCluster;
let client: ClusterClient;

async function setUp(options: { brokers?: number; bootstrap?: string[] } = {}): Promise<ClusterClient> {
  cluster = await FakeCluster.start({ brokers: options.brokers ?? 3 });
  const runtime = cluster.clientRuntime();
  client = new ClusterClient({
    bootstrapUrls: options.bootstrap ?? [cluster.url(0)],
    runtime,
    logger: runtime.logger,
    requestTimeoutMs: 30_000,
    reconnectBackoffMs: 50,
    reconnectBackoffMaxMs: 1_000,
    maxInFlightRequestsPerConnection: 5,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1_000,
    metadataMaxAgeMs: 300_000,
  });
  return client;
}

const metadataRequestTimes = () => cluster.requestsOf('metadata').map((request) => request.atMs);

afterEach(async () => {
  client.close();
  await cluster.close();
});

describe('ClusterClient', () => {
  it('asks again for a tracked topic the cluster answered with a retriable error, backing off to retry.backoff.max.ms, so it learns of it once it exists', async () => {
    await setUp();
    client.trackTopics(['later']);
    await cluster.clock.advanceByAsync(10_000);
    const times = metadataRequestTimes();
    expect(times.length).toBeGreaterThanOrEqual(8);
    expect(times.length).toBeLessThanOrEqual(20);
    for (let index = 5; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeLessThanOrEqual(1_300);
    cluster.createTopic('later', 2);
    await cluster.clock.advanceByAsync(1_500);
    expect(client.partitionCount('later')).toBe(2);
    const settled = metadataRequestTimes().length;
    await cluster.clock.advanceByAsync(10_000);
    expect(metadataRequestTimes().length).toBe(settled);
  });

  it('fetches metadata for a newly tracked topic at once and exposes leaders and the controller', async () => {
    await setUp();
    cluster.createTopic('t', 3);
    const updated = new Promise((resolve) => client.onMetadataUpdate(resolve));
    client.trackTopics(['t']);
    await cluster.settle(updated);
    expect(cluster.requestsOf('metadata')[0]!.body).toEqual({ topics: ['t'], allowAutoTopicCreation: false });
    expect(client.partitionCount('t')).toBe(3);
    expect(client.leaderFor('t', 2)).toEqual({ nodeId: 2, url: cluster.url(2), leaderEpoch: 0 });
    expect(client.brokerUrl(1)).toBe(cluster.url(1));
    expect(client.controllerUrl()).toBe(cluster.url(0));
  });

  it('refreshes on request no sooner than retry.backoff.ms after the last refresh, once for many requests', async () => {
    await setUp();
    const firstMs = cluster.clock.now();
    await cluster.settle(client.refreshMetadata());
    for (let index = 0; index < 5; index++) client.requestMetadataUpdate();
    await cluster.clock.advanceByAsync(500);
    const times = metadataRequestTimes();
    expect(times).toHaveLength(2);
    expect(times[1]! - firstMs).toBeGreaterThanOrEqual(100);
  });

  it('refreshes once metadata is older than metadata.max.age.ms', async () => {
    await setUp();
    await cluster.settle(client.refreshMetadata());
    await cluster.clock.advanceByAsync(299_000);
    client.checkMetadataAge(cluster.clock.now());
    await cluster.clock.advanceByAsync(10);
    expect(metadataRequestTimes()).toHaveLength(1);
    await cluster.clock.advanceByAsync(1_000);
    client.checkMetadataAge(cluster.clock.now());
    await cluster.clock.advanceByAsync(10);
    expect(metadataRequestTimes()).toHaveLength(2);
  });

  it('asks the other known brokers when the one it used goes away', async () => {
    await setUp();
    await cluster.settle(client.refreshMetadata());
    await cluster.stopBroker(0);
    const metadata = await cluster.settle(client.refreshMetadata());
    expect([...metadata.brokers.keys()]).toEqual([1, 2]);
    expect(cluster.requestsOf('metadata').at(-1)!.brokerId).not.toBe(0);
  });

  it('backs off exponentially while refreshes fail for tracked topics', async () => {
    await setUp({ brokers: 1 });
    await cluster.stopBroker(0);
    const failures: number[] = [];
    client.trackTopics(['t']);
    const originalRefresh = client.refreshMetadata.bind(client);
    client.refreshMetadata = () => {
      failures.push(cluster.clock.now());
      return originalRefresh();
    };
    await cluster.clock.advanceByAsync(3_000);
    const gaps = failures.slice(1).map((atMs, index) => atMs - failures[index]!);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    // 100, 200, 400, 800 ms give or take 20 % (plus connect attempts), capped at retry.backoff.max.ms.
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1_300);
  });

  it('rejects a refresh with the last error when no broker answers', async () => {
    await setUp({ brokers: 1 });
    await cluster.stopBroker(0);
    await expect(cluster.settle(client.refreshMetadata())).rejects.toMatchObject({ errorName: 'NETWORK_EXCEPTION' });
  });
});
