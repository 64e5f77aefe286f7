/**
 * The request/response baseline: raw `ws` round trips per second from this process to an echo server in
 * another process, `inFlight` small frames outstanding at a time over one connection. A coordinator
 * answering heartbeats can at best match it: whatever kactor does per request is measured against it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export async function measureRawRoundTrips(options: { inFlight: number; frameBytes: number; durationMs: number }): Promise<{ roundTripsPerSecond: number }> {
  const echo = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./ws-echo.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      echo.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      echo.once('exit', (code) => reject(new Error(`the ws echo server exited (${code})`)));
    });
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const frame = Buffer.alloc(options.frameBytes, 7);
    let answered = 0;
    let outstanding = 0;
    const started = performance.now();
    const deadline = started + options.durationMs;
    await new Promise<void>((done) => {
      socket.on('message', () => {
        outstanding -= 1;
        answered += 1;
        if (performance.now() < deadline) {
          outstanding += 1;
          socket.send(frame, { binary: true });
        } else if (outstanding === 0) {
          done();
        }
      });
      for (let index = 0; index < options.inFlight; index += 1) {
        outstanding += 1;
        socket.send(frame, { binary: true });
      }
    });
    const seconds = (performance.now() - started) / 1000;
    socket.close();
    return { roundTripsPerSecond: answered / seconds };
  } finally {
    echo.kill();
  }
}
