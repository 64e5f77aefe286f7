/**
 * Requests a client sends, by API name, counted where they leave it: each connection the client opens through its
 * transport has its `send` wrapped to read the frame header's API key (a fixed offset, O(1) per request). The client
 * itself is not touched, so what is counted is exactly what went on the wire, heartbeats included.
 */
import { apiNameForKey, frameKinds, readFrameHeader } from '@kactor/protocol';
import type { Connection, Transport } from '@kactor/runtime';

export class RequestCounter {
  private readonly counts = new Map<string, number>();

  /** The same transport, counting the requests of every connection it opens. */
  wrap<T extends Transport>(transport: T): T {
    const connect = transport.connect.bind(transport);
    return {
      ...transport,
      listen: transport.listen.bind(transport),
      connect: async (url, options) => this.watch(await connect(url, options)),
    } as T;
  }

  /** Requests by API name (Kafka's protocol names as kactor spells them: `heartbeat`, `consumerGroupHeartbeat`...), sorted. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private watch(connection: Connection): Connection {
    const send = connection.send.bind(connection);
    connection.send = (frame: Uint8Array): void => {
      const header = readFrameHeader(frame);
      if (header !== undefined && header.kind === frameKinds.request) {
        const api = apiNameForKey(header.apiKey) ?? `api-${header.apiKey}`;
        this.counts.set(api, (this.counts.get(api) ?? 0) + 1);
      }
      send(frame);
    };
    return connection;
  }
}
