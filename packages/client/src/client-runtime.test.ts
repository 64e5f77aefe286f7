import type { ResponseBody } from '@kactor/protocol';
import { createLogger, RpcServer, SystemClock, WebSocketTransport } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from './admin/admin.js';
import { systemClientRuntime } from './client-runtime.js';

let server: RpcServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('systemClientRuntime', () => {
  it('builds real ports: system clock, WebSocket transport, ws URLs', () => {
    const runtime = systemClientRuntime({ secret: 's3cret-s3cret-s3cret' });
    expect(runtime.clock).toBeInstanceOf(SystemClock);
    expect(runtime.transport).toBeInstanceOf(WebSocketTransport);
    expect(runtime.urlScheme).toBe('ws');
    expect(runtime.secret).toBe('s3cret-s3cret-s3cret');
    expect(runtime.ids.next('producer')).toMatch(/^producer-/);
  });

  it('lets a client talk to a node over a real WebSocket', async () => {
    const answer: ResponseBody<'metadata'> = { throttleTimeMs: 0, clusterId: 'ws-cluster', controllerId: 0, brokers: [], topics: [] };
    server = new RpcServer({
      transport: new WebSocketTransport(),
      logger: createLogger(),
      maxRequestBytes: 1_048_576,
      maxQueuedRequestsPerConnection: 10,
      onRequest: (request) => {
        if (request.api !== 'metadata') throw new Error(`unexpected ${request.api}`);
        const url = (server as RpcServer).url;
        const port = Number(new URL(url).port);
        server?.respond(request.ref as typeof request.ref & { api: 'metadata' }, { ...answer, brokers: [{ nodeId: 0, host: '127.0.0.1', port, url, rack: null }] });
      },
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const admin = Admin.create({ 'bootstrap.servers': server.url, 'default.api.timeout.ms': 5_000, 'request.timeout.ms': 5_000 }, systemClientRuntime());
    try {
      const description = await admin.describeCluster();
      expect(description).toMatchObject({ clusterId: 'ws-cluster', controllerId: 0 });
      expect(description.brokers[0]?.url).toBe(server.url);
    } finally {
      admin.close();
    }
  });
});
