/** A Kafka listener serving in-memory connections, with a router the test drives and a client end that collects answer frames. */
import { decodeResponseFrame, KafkaFrameReader, type KafkaApiName, type KafkaResponse } from '@kactor/kafka-protocol';
import { createLogger, createMemoryStreamPair, waitFor, type ByteStreamConnection, type InboundRequest } from '@kactor/runtime';
import type { KafkaApiAdapters } from './apis/index.js';
import { KafkaListener } from './kafka-listener.js';

export const WAIT_MS = 5_000;
export const BROKER_ID = 1;
export const ADVERTISED = { host: 'kafka.example', port: 19092 };

export interface ListenerLimits {
  maxRequestBytes?: number;
  maxQueuedRequests?: number;
  maxQueuedResponseBytes?: number;
}

export interface TestClient {
  readonly stream: ByteStreamConnection;
  /** The listener's end, to see what it has written that the client has not read. */
  readonly serverStream: ByteStreamConnection;
  readonly frames: Uint8Array[];
  readonly closed: () => boolean;
  send(...frames: Uint8Array[]): void;
  /** Waits for the `count`th answer frame and decodes it as `api` at `version`. */
  answer<A extends KafkaApiName>(index: number, api: A, version: number): Promise<KafkaResponse<A>>;
}

export function listenerHarness(options: ListenerLimits & { adapters?: KafkaApiAdapters; onRequest?: (request: InboundRequest) => void } = {}) {
  const requests: InboundRequest[] = [];
  const closedConnections: string[] = [];
  const listener = new KafkaListener({
    brokerId: BROKER_ID,
    logger: createLogger({ level: 'silent' }),
    maxRequestBytes: options.maxRequestBytes ?? 1_048_576,
    maxQueuedRequests: options.maxQueuedRequests ?? 500,
    maxQueuedResponseBytes: options.maxQueuedResponseBytes ?? 1_048_576,
    adapters: options.adapters,
    onRequest: (request) => {
      requests.push(request);
      options.onRequest?.(request);
    },
    onConnectionClosed: (connectionId) => closedConnections.push(connectionId),
  });

  function connect(): TestClient {
    const { server, client } = createMemoryStreamPair();
    listener.accept(server, ADVERTISED);
    const reader = new KafkaFrameReader({ maxFrameBytes: 64 * 1_048_576 });
    const frames: Uint8Array[] = [];
    let closed = false;
    client.onData((bytes) => frames.push(...reader.push(bytes).frames));
    client.onClose(() => (closed = true));
    return {
      stream: client,
      serverStream: server,
      frames,
      closed: () => closed,
      send: (...sent) => {
        for (const frame of sent) client.write(frame);
      },
      async answer(index, api, version) {
        await waitFor(() => frames.length > index, WAIT_MS, `answer ${index}`);
        const decoded = decodeResponseFrame(api, version, frames[index] as Uint8Array);
        if (!decoded.ok) throw new Error(`answer ${index} does not decode as ${api} v${version}: ${decoded.error.message}`);
        return decoded.value;
      },
    };
  }

  return { listener, requests, closedConnections, connect };
}
