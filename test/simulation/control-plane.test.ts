/**
 * The control plane is closed to clients (issue 10, B1): UpdateMetadata, BrokerRegistration,
 * BrokerHeartbeat, AlterPartition (issue 11) and AllocateProducerIds (issue 13) are answered CLUSTER_AUTHORIZATION_FAILED (31) on a connection that did not present the
 * cluster secret, whether or not it holds the clients' shared secret, and served on one that did. A refused
 * request changes nothing: the broker keeps following the controller's pushes.
 */
import type { BrokerNode } from '@kactor/broker';
import type { MetadataImage, RequestBody } from '@kactor/protocol';
import { waitForSimulated } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { haltSingleNodes, singleNodeClusterSecret as clusterSecret, startSingleNode } from '@kactor/simulation';

const clientSecret = 'the-clients-secret';

afterEach(haltSingleNodes);

async function startNode(options: { secret?: string } = {}) {
  return startSingleNode({ secret: options.secret });
}

function currentImage(node: BrokerNode): MetadataImage {
  const image = node.broker.getSnapshot().context.image;
  if (image === null) throw new Error('the broker has no image yet');
  return image;
}

/** Each control-plane API with a body that would do harm if it were served. */
function forgedRequests(node: BrokerNode): { [A in (typeof controlPlaneApis)[number]]: RequestBody<A> } {
  const image = currentImage(node);
  return {
    // The attack of the issue: an image "from the far future", after which real pushes look old.
    updateMetadata: { controllerId: 0, brokerEpoch: node.broker.getSnapshot().context.brokerEpoch, image: { ...image, metadataOffset: 2 ** 53 - 1 } },
    brokerRegistration: {
      brokerId: 7,
      clusterId: image.clusterId,
      incarnationId: 'forged-incarnation',
      listeners: [{ name: 'PLAINTEXT', host: 'evil', port: 1, url: 'memory://evil:1' }],
      rack: null,
    },
    brokerHeartbeat: { brokerId: 0, brokerEpoch: node.broker.getSnapshot().context.brokerEpoch, currentMetadataOffset: 0, wantFence: true, wantShutDown: false },
    // An ISR change in the leader's name (issue 11): served, it would let acks=all wait for fewer copies.
    alterPartition: {
      brokerId: 0,
      brokerEpoch: node.broker.getSnapshot().context.brokerEpoch,
      topics: [{ topicId: 'forged', partitions: [{ partitionIndex: 0, leaderEpoch: 0, newIsrWithEpochs: [{ brokerId: 0, brokerEpoch: -1 }], leaderRecoveryState: 0, partitionEpoch: 0 }] }],
    },
    // A block of producer ids in the broker's name (issue 13): served, it would burn ids the broker never hands out.
    allocateProducerIds: { brokerId: 0, brokerEpoch: node.broker.getSnapshot().context.brokerEpoch },
  };
}

const controlPlaneApis = ['updateMetadata', 'brokerRegistration', 'brokerHeartbeat', 'alterPartition', 'allocateProducerIds'] as const;

describe('the control plane refuses client connections (CLUSTER_AUTHORIZATION_FAILED)', () => {
  for (const api of controlPlaneApis) {
    it(`${api} from a client holding the shared secret is refused and changes nothing`, async () => {
      const h = await startNode({ secret: clientSecret });
      const result = await h.call(h.client(clientSecret), api, forgedRequests(h.node)[api] as never);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ code: 31, name: 'CLUSTER_AUTHORIZATION_FAILED' });
      expect(result.error.message).toContain('cluster secret');
      // No internal state in the text: no epoch, no offset.
      expect(result.error.message).not.toMatch(/\d/);
      await h.clock.advanceByAsync(5_000);
      const image = currentImage(h.node);
      expect(image.metadataOffset).toBeLessThan(1_000); // not the forged 2^53-1
      expect(image.brokers.map(({ brokerId, fenced }) => ({ brokerId, fenced }))).toEqual([{ brokerId: 0, fenced: false }]); // no broker 7, not fenced
      expect(h.node.brokerState()).toBe('RUNNING');
      expect(h.node.controller?.getSnapshot().context.state.producerIds).toBeNull();
    });

    it(`${api} from a client of a broker without any client secret is refused`, async () => {
      const h = await startNode();
      const result = await h.call(h.client(undefined), api, forgedRequests(h.node)[api] as never);
      expect(result.ok ? undefined : result.error.name).toBe('CLUSTER_AUTHORIZATION_FAILED');
    });
  }

  it('after a refused far-future UpdateMetadata the broker still applies the controller\'s next push', async () => {
    const h = await startNode({ secret: clientSecret });
    const intruder = h.client(clientSecret);
    await h.call(intruder, 'updateMetadata', forgedRequests(h.node).updateMetadata);
    const created = await h.call(intruder, 'createTopics', {
      topics: [{ name: 'orders', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5_000,
      validateOnly: false,
    });
    expect(created.ok).toBe(true);
    await waitForSimulated(h.clock, () => currentImage(h.node).topics.some((topic) => topic.name === 'orders'), 'the broker learns of the topic');
    const metadata = await h.call(intruder, 'metadata', { topics: ['orders'], allowAutoTopicCreation: false });
    expect(metadata.ok && metadata.body.topics[0]?.errorCode).toBe(0);
  });

  it('a forged BrokerHeartbeat with wantFence cannot fence the broker', async () => {
    const h = await startNode();
    await h.call(h.client(undefined), 'brokerHeartbeat', forgedRequests(h.node).brokerHeartbeat);
    const metadata = await h.call(h.client(undefined), 'metadata', { topics: null, allowAutoTopicCreation: false });
    expect(metadata.ok && metadata.body.brokers.map((broker) => broker.nodeId)).toEqual([0]);
  });
});

describe('the control plane serves cluster connections', () => {
  it('BrokerHeartbeat from a cluster member is served (a stale epoch is answered as such, without the current one)', async () => {
    const h = await startNode({ secret: clientSecret });
    const epoch = h.node.broker.getSnapshot().context.brokerEpoch;
    const result = await h.call(h.client(clusterSecret), 'brokerHeartbeat', {
      brokerId: 0,
      brokerEpoch: epoch + 1000,
      currentMetadataOffset: 0,
      wantFence: false,
      wantShutDown: false,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.errorCode).toBe(77); // STALE_BROKER_EPOCH
    expect(result.body.errorMessage).not.toContain(`(${epoch})`);
  });

  it('BrokerRegistration from a cluster member is served', async () => {
    const h = await startNode({ secret: clientSecret });
    const result = await h.call(h.client(clusterSecret), 'brokerRegistration', forgedRequests(h.node).brokerRegistration);
    expect(result.ok && result.body.errorCode).toBe(0);
  });

  it('UpdateMetadata from a cluster member is served; a stale epoch is refused without echoing the broker\'s own', async () => {
    const h = await startNode({ secret: clientSecret });
    const epoch = h.node.broker.getSnapshot().context.brokerEpoch;
    const image = currentImage(h.node);
    const member = h.client(clusterSecret);
    const fresh = await h.call(member, 'updateMetadata', { controllerId: 0, brokerEpoch: epoch, image });
    expect(fresh.ok && fresh.body.errorCode).toBe(0);
    const stale = await h.call(member, 'updateMetadata', { controllerId: 0, brokerEpoch: epoch + 1000, image });
    expect(stale.ok && stale.body.errorCode).toBe(77);
    expect(stale.ok && stale.body.errorMessage).not.toMatch(new RegExp(`\\b${epoch}\\b`));
  });

  it('UpdateMetadata with an image that cannot be the controller\'s is refused, not applied (INVALID_REQUEST)', async () => {
    const h = await startNode();
    const epoch = h.node.broker.getSnapshot().context.brokerEpoch;
    const image = currentImage(h.node);
    const member = h.client(clusterSecret);
    const inconsistent = { ...image, metadataOffset: image.metadataOffset + 1, brokers: image.brokers.map((broker) => ({ ...broker, brokerEpoch: 2 ** 53 - 1 })) };
    const refused = await h.call(member, 'updateMetadata', { controllerId: 0, brokerEpoch: epoch, image: inconsistent });
    expect(refused.ok && refused.body.errorCode).toBe(42); // INVALID_REQUEST
    const otherController = await h.call(member, 'updateMetadata', { controllerId: 5, brokerEpoch: epoch, image: { ...image, metadataOffset: image.metadataOffset + 1 } });
    expect(otherController.ok && otherController.body.errorCode).toBe(42);
    expect(currentImage(h.node).brokers.every((broker) => broker.brokerEpoch < 1_000)).toBe(true);
    expect(currentImage(h.node).controllerId).toBe(0);
  });

  it('UpdateMetadata naming a topic config no broker can read is refused (INVALID_REQUEST), and the broker keeps serving', async () => {
    const h = await startNode();
    const epoch = h.node.broker.getSnapshot().context.brokerEpoch;
    const image = currentImage(h.node);
    const member = h.client(clusterSecret);
    const topic = { name: 'forged', topicId: 'forged-id', isInternal: false, configs: [{ name: 'no.such.config', value: '1' }], partitions: [{ partitionIndex: 0, leader: 0, leaderEpoch: 0, partitionEpoch: 0, replicas: [0], isr: [0] }] };
    const forged = { ...image, metadataOffset: image.metadataOffset + 1, topics: [...image.topics, topic] };
    const refused = await h.call(member, 'updateMetadata', { controllerId: 0, brokerEpoch: epoch, image: forged });
    expect(refused.ok && refused.body.errorCode).toBe(42); // INVALID_REQUEST
    expect(currentImage(h.node).topics.map((known) => known.name)).not.toContain('forged');
    const metadata = await h.call(h.client(undefined), 'metadata', { topics: null, allowAutoTopicCreation: false });
    expect(metadata.ok).toBe(true);
  });
});
