/**
 * Headers and explicit timestamps end to end through the client: what the producer sends (a list with a
 * repeated key and a null value, as Kafka allows) is what the consumer's records carry, in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Producer } from '../producer/producer.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Consumer } from './consumer.js';
import type { ConsumerRecord } from './consumer-types.js';

let cluster: FakeCluster;
const closing: Array<{ close(): Promise<void> }> = [];
const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

afterEach(async () => {
  for (const client of closing.splice(0)) await cluster.settle(client.close());
  await cluster.close();
});

describe('record headers and timestamps, producer to consumer', () => {
  it('arrive as sent: headers in order with repeated keys and null values, the CreateTime given', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    cluster.createTopic('t', 1);
    const producer = Producer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'linger.ms': 0 }, cluster.clientRuntime(1, 'producer'));
    closing.push(producer);
    await cluster.settle(
      Promise.all([
        producer.send({ topic: 't', key: 'k', value: 'first', timestamp: 1_234, headers: [{ key: 'trace', value: 't-1' }, { key: 'trace', value: null }, { key: 'bin', value: new Uint8Array([0, 255]) }] }),
        producer.send({ topic: 't', value: 'second', headers: { only: 'one' } }),
      ]),
    );
    const consumer = Consumer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'auto.offset.reset': 'earliest' }, cluster.clientRuntime(2, 'consumer'));
    closing.push(consumer);
    consumer.assign([{ topic: 't', partition: 0 }]);
    const records: ConsumerRecord[] = [];
    for (let round = 0; round < 50 && records.length < 2; round++) records.push(...(await cluster.settle(consumer.poll(1_000))));
    expect(records.map((record) => ({ key: text(record.key), value: text(record.value), headers: record.headers.map((header) => [header.key, header.value === null ? null : [...header.value]]) }))).toEqual([
      { key: 'k', value: 'first', headers: [['trace', [...new TextEncoder().encode('t-1')]], ['trace', null], ['bin', [0, 255]]] },
      { key: null, value: 'second', headers: [['only', [...new TextEncoder().encode('one')]]] },
    ]);
    expect(records[0]).toMatchObject({ timestamp: 1_234, timestampType: 'CreateTime' });
  });
});
