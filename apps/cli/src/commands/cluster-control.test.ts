import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterSocketPath, maxControlRequestBytes, parseControlReply, parseControlRequest, sendControlRequest, startControlServer, type ControlRequest } from './cluster-control.js';

const logger = createLogger({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
function dataDir(): string {
  const path = mkdtempSync(join(tmpdir(), 'kactor-control-'));
  cleanups.push(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

describe('control requests', () => {
  it('accepts kill, stop and start of a broker id', () => {
    for (const command of ['kill', 'stop', 'start'] as const) expect(parseControlRequest(JSON.stringify({ command, brokerId: 2 }))).toEqual({ command, brokerId: 2 });
  });

  it('refuses anything else with a reason, never acting on it', () => {
    expect(parseControlRequest('{')).toEqual({ error: 'the control request is not JSON' });
    expect(parseControlRequest('null')).toEqual({ error: 'the control request is not an object' });
    expect(parseControlRequest('{"command":"restart","brokerId":1}')).toMatchObject({ error: expect.stringMatching(/unknown control command "restart"/) });
    expect(parseControlRequest('{"command":"kill","brokerId":-1}')).toMatchObject({ error: expect.stringMatching(/brokerId/) });
    expect(parseControlRequest('{"command":"kill","brokerId":1.5}')).toMatchObject({ error: expect.stringMatching(/brokerId/) });
  });

  it('reads replies of both kinds and nothing else', () => {
    expect(parseControlReply('{"ok":true,"message":"broker 1 stopped"}')).toEqual({ ok: true, message: 'broker 1 stopped' });
    expect(parseControlReply('{"ok":false,"error":"no broker 7"}')).toEqual({ ok: false, error: 'no broker 7' });
    expect(() => parseControlReply('{"ok":true}')).toThrow();
  });
});

describe('the control socket', () => {
  async function serve(dir: string, handled: ControlRequest[] = []) {
    const server = await startControlServer(dir, async (request) => {
      handled.push(request);
      return { ok: true, message: `broker ${request.brokerId} ${request.command}ed` };
    }, logger);
    if ('error' in server) throw new Error(server.error);
    cleanups.push(server.close);
    return server;
  }

  it('carries a request to the handler and its reply back, on a socket only its owner can use', async () => {
    const dir = dataDir();
    const handled: ControlRequest[] = [];
    await serve(dir, handled);
    expect(statSync(clusterSocketPath(dir)).mode & 0o777).toBe(0o600);
    expect(await sendControlRequest(dir, './d', { command: 'kill', brokerId: 1 }, 5_000)).toEqual({ ok: true, message: 'broker 1 killed' });
    expect(handled).toEqual([{ command: 'kill', brokerId: 1 }]);
  });

  it('says no cluster up runs in a directory without a socket, or with one nobody answers on', async () => {
    const dir = dataDir();
    await expect(sendControlRequest(dir, './d', { command: 'stop', brokerId: 0 }, 5_000)).rejects.toThrow('no running cluster up in ./d (start one with kactor cluster up)');
    const server = await serve(dir);
    await server.close();
    await expect(sendControlRequest(dir, './d', { command: 'stop', brokerId: 0 }, 5_000)).rejects.toThrow('no running cluster up in ./d');
  });

  it('replaces a socket file left by a cluster up that died, but not one a live cluster up answers on', async () => {
    const dir = dataDir();
    await serve(dir);
    const second = await startControlServer(dir, async () => ({ ok: true, message: 'second' }), logger);
    expect(second).toEqual({ error: `another cluster up is answering on ${clusterSocketPath(dir)}` });
    expect(await sendControlRequest(dir, './d', { command: 'start', brokerId: 0 }, 5_000)).toEqual({ ok: true, message: 'broker 0 started' });
  });

  it('answers a request that is not one with an error, and cuts off one longer than the bound', async () => {
    const dir = dataDir();
    const handled: ControlRequest[] = [];
    await serve(dir, handled);
    const exchange = (payload: string) =>
      new Promise<string>((done, fail) => {
        const socket = createConnection(clusterSocketPath(dir));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('end', () => done(answer));
        socket.on('error', fail);
        socket.write(payload);
      });
    expect(JSON.parse(await exchange('{"command":"reboot","brokerId":1}\n'))).toMatchObject({ ok: false, error: expect.stringMatching(/unknown control command/) });
    expect(JSON.parse(await exchange('x'.repeat(maxControlRequestBytes + 1)))).toEqual({ ok: false, error: `the control request is longer than ${maxControlRequestBytes} bytes` });
    expect(handled).toEqual([]);
  });
});
