/**
 * The baseline: raw `ws` loopback throughput, one way, from this process to a server in another process,
 * with the same batching the kactor producer uses (one frame carries one batch of records of the same size).
 * Whatever kactor does on top (validation, actors, logs, acks) is measured against this.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export interface ThroughputResult {
  records: number;
  bytes: number;
  seconds: number;
  recordsPerSecond: number;
  megabytesPerSecond: number;
}

export function throughput(records: number, bytes: number, seconds: number): ThroughputResult {
  return { records, bytes, seconds, recordsPerSecond: records / seconds, megabytesPerSecond: bytes / seconds / 1e6 };
}

/** Keeps at most this many bytes queued in the socket, as the producer's in-flight limit does. */
const maxBufferedBytes = 8 * 1024 * 1024;

export async function measureRawWs(options: { records: number; recordBytes: number; recordsPerFrame: number }): Promise<ThroughputResult> {
  const sink = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./ws-sink.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      sink.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      sink.once('exit', (code) => reject(new Error(`the ws sink exited (${code})`)));
    });
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    // One frame: a batch of records, each framed with its 4-byte length, like a record batch's payload.
    const frame = Buffer.alloc(options.recordsPerFrame * (4 + options.recordBytes), 7);
    const frames = Math.ceil(options.records / options.recordsPerFrame);
    const totalBytes = frames * frame.byteLength;
    const done = new Promise<void>((resolve) => socket.once('message', () => resolve()));
    const started = performance.now();
    socket.send(String(totalBytes));
    for (let sent = 0; sent < frames; sent += 1) {
      socket.send(frame, { binary: true });
      while (socket.bufferedAmount > maxBufferedBytes) await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    const seconds = (performance.now() - started) / 1000;
    socket.close();
    return throughput(frames * options.recordsPerFrame, frames * options.recordsPerFrame * options.recordBytes, seconds);
  } finally {
    sink.kill();
  }
}
