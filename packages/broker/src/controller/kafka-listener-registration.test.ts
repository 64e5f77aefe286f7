/**
 * A broker's Kafka listener (issue 16) travels as Kafka's BrokerRegistration carries listeners: registered after
 * the node's kactor endpoint under Kafka's listener name, kept in the RegisterBroker record, replayed into the
 * controller's state and every image, and kept by snapshots.
 */
import { checkRequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { registerBroker } from './broker-commands.js';
import { snapshotRecordsOf } from './metadata-snapshot.js';
import { stateFromSnapshot, toMetadataImage } from './metadata-state.js';
import { append, stateFrom } from './test-fixtures.js';

const kactorEndpoint = { name: 'KACTOR', host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101' };

function registered(listeners: Array<{ name: string; host: string; port: number; url: string }>) {
  const outcome = registerBroker(stateFrom([]), {}, { brokerId: 1, clusterId: 'cluster-1', incarnationId: 'a', listeners, rack: null }, 0);
  if (!outcome.ok) throw new Error(outcome.errorMessage);
  return { records: outcome.records, state: append(stateFrom([]), outcome.records) };
}

describe('a broker registered with a Kafka listener', () => {
  const { records, state } = registered([kactorEndpoint, { name: 'PLAINTEXT', host: 'kafka.example', port: 19092, url: '' }]);

  it('keeps the kactor endpoint as the broker\'s address and the PLAINTEXT listener as its Kafka listener', () => {
    expect(records).toEqual([expect.objectContaining({ type: 'RegisterBroker', host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101', kafkaListener: { host: 'kafka.example', port: 19092 } })]);
    expect(state.brokers[1]).toMatchObject({ url: 'ws://127.0.0.1:9101', kafkaListener: { host: 'kafka.example', port: 19092 } });
  });

  it('names it in the metadata image, which the image schema accepts', () => {
    const image = toMetadataImage(state, 0);
    expect(image.brokers[0]).toMatchObject({ brokerId: 1, kafkaListener: { host: 'kafka.example', port: 19092 } });
    // As a single controller pushes it to the brokers (UpdateMetadata), checked where it enters.
    expect(checkRequestBody('updateMetadata', 0, { controllerId: 0, brokerEpoch: 0, image })).toEqual({ ok: true, body: expect.anything() });
  });

  it('keeps it through a snapshot', () => {
    const restored = stateFromSnapshot('cluster-1', snapshotRecordsOf(state), 1);
    expect(restored.brokers[1]?.kafkaListener).toEqual({ host: 'kafka.example', port: 19092 });
  });
});

describe('a broker registered without one', () => {
  it('has no Kafka listener in the record or the image (as records of earlier releases)', () => {
    const { records, state } = registered([kactorEndpoint]);
    expect(records[0]).not.toHaveProperty('kafkaListener');
    expect(toMetadataImage(state, 0).brokers[0]).not.toHaveProperty('kafkaListener');
  });

  it('takes only a further listener under Kafka\'s name: the first is always the kactor endpoint, whatever its name', () => {
    const { state } = registered([{ ...kactorEndpoint, name: 'PLAINTEXT' }, { name: 'OTHER', host: 'h', port: 1, url: '' }]);
    expect(state.brokers[1]?.kafkaListener).toBeUndefined();
    expect(state.brokers[1]?.url).toBe('ws://127.0.0.1:9101');
  });
});
