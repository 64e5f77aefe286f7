import type { Logger } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { ClusterClient } from './cluster-client.js';
import { ConnectionWarnings, MAX_WARNING_INTERVAL_MS } from './connection-warnings.js';

function recordingLogger(lines: string[]): Logger {
  const logger = {
    warn: (_fields: unknown, message: string) => lines.push(message),
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    trace: () => undefined,
    child: () => logger,
  };
  return logger as unknown as Logger;
}

describe('ConnectionWarnings', () => {
  it('warns at the first failure of an address, then after quiet periods that double up to the cap, and again after a success', () => {
    const lines: string[] = [];
    const warnings = new ConnectionWarnings(recordingLogger(lines), 1_000);
    const warnedAt: number[] = [];
    for (let nowMs = 0; nowMs <= 120_000; nowMs += 100) {
      const before = lines.length;
      warnings.failed('ws://127.0.0.1:9999', 'connect ECONNREFUSED 127.0.0.1:9999', nowMs);
      if (lines.length > before) warnedAt.push(nowMs);
    }
    expect(warnedAt.slice(0, 6)).toEqual([0, 1_000, 3_000, 7_000, 15_000, 31_000]);
    expect(Math.max(...warnedAt.slice(1).map((at, index) => at - (warnedAt[index] as number)))).toBeLessThanOrEqual(MAX_WARNING_INTERVAL_MS);
    expect(lines[0]).toBe('connection to ws://127.0.0.1:9999 failed (connect ECONNREFUSED 127.0.0.1:9999); retrying');
    warnings.succeeded('ws://127.0.0.1:9999');
    warnings.failed('ws://127.0.0.1:9999', 'again', 120_050);
    expect(lines.at(-1)).toContain('(again)');
  });
});

describe('ClusterClient warnings while it waits', () => {
  let cluster: FakeCluster;
  let client: ClusterClient;
  afterEach(async () => {
    client.close();
    await cluster.close();
  });

  function clientOf(bootstrapUrl: string, lines: string[], allowAutoTopicCreation = false): ClusterClient {
    return new ClusterClient({
      bootstrapUrls: [bootstrapUrl],
      runtime: cluster.clientRuntime(),
      logger: recordingLogger(lines),
      requestTimeoutMs: 30_000,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      maxInFlightRequestsPerConnection: 5,
      retryBackoffMs: 100,
      retryBackoffMaxMs: 1_000,
      metadataMaxAgeMs: 300_000,
      allowAutoTopicCreation,
    });
  }

  it("says a tracked topic does not exist (Kafka's {nosuch=UNKNOWN_TOPIC_OR_PARTITION}) while it waits, a few times, and stops once it appears", async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    const lines: string[] = [];
    client = clientOf(cluster.url(0), lines);
    client.trackTopics(['nosuch']);
    // A producer or consumer waiting for the topic asks for metadata again and again.
    const waitFor = async (ms: number) => {
      for (let waited = 0; waited < ms; waited += 200) {
        client.requestMetadataUpdate();
        await cluster.clock.advanceByAsync(200);
      }
    };
    await waitFor(10_000);
    expect(lines[0]).toBe('metadata for topic nosuch: UNKNOWN_TOPIC_OR_PARTITION (it does not exist; waiting for it to be created)');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(5);
    cluster.createTopic('nosuch', 1);
    await waitFor(1_000);
    const seen = lines.length;
    await waitFor(60_000);
    expect(lines.length).toBe(seen);
  });

  it('says a topic is being created when the broker auto-creates it', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    cluster.autoCreateTopicPartitions = 1;
    const lines: string[] = [];
    client = clientOf(cluster.url(0), lines, true);
    client.trackTopics(['fresh']);
    await cluster.clock.advanceByAsync(200);
    client.requestMetadataUpdate();
    await cluster.clock.advanceByAsync(2_000);
    expect(lines).toEqual(['metadata for topic fresh: LEADER_NOT_AVAILABLE (the broker is creating it (auto.create.topics.enable))']);
    expect(client.partitionCount('fresh')).toBe(1);
  });

  it('reports the address and the failure while it keeps retrying, not only when the caller gives up', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    const runtime = cluster.clientRuntime();
    const lines: string[] = [];
    client = new ClusterClient({
      bootstrapUrls: ['memory://nobody:9999'],
      runtime,
      logger: recordingLogger(lines),
      requestTimeoutMs: 30_000,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      maxInFlightRequestsPerConnection: 5,
      retryBackoffMs: 100,
      retryBackoffMaxMs: 1_000,
      metadataMaxAgeMs: 300_000,
    });
    client.trackTopics(['t']);
    await cluster.clock.advanceByAsync(10_000);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines[0]).toMatch(/^connection to memory:\/\/nobody:9999 failed \(.+\); retrying$/);
  });
});
