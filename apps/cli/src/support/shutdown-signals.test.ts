import { EventEmitter } from 'node:events';
import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { shutdownOnSignals } from './shutdown-signals.js';

function recordingLogger() {
  const lines: string[] = [];
  const logger = { info: (_fields: object, message: string) => lines.push(`info: ${message}`), debug: (_fields: object, message: string) => lines.push(`debug: ${message}`) };
  return { lines, logger: logger as unknown as Parameters<typeof shutdownOnSignals>[0] };
}

describe('shutdownOnSignals', () => {
  it('runs the shutdown once for the first SIGINT; a second SIGINT and a SIGTERM are only logged, and still listened for', () => {
    const target = new EventEmitter();
    const { lines, logger } = recordingLogger();
    const reasons: string[] = [];
    const clock = new SimulatedClock({ startMs: 0 });
    const handle = shutdownOnSignals(logger, clock, (reason) => reasons.push(reason), target as unknown as NodeJS.Process);
    expect(handle.requested).toBe(false);
    target.emit('SIGINT');
    target.emit('SIGINT'); // the copy a wrapper relays, at once: only at debug
    clock.advanceBy(5_000);
    target.emit('SIGTERM'); // a second request, later: the user hears why nothing happens yet
    expect(reasons).toEqual(['SIGINT']);
    expect(handle.requested).toBe(true);
    expect(lines.map((line) => line.split(':')[0])).toEqual(['debug', 'info']);
    // A process with no listener left for a signal would die of the next one, before its logs are closed.
    expect(target.listenerCount('SIGINT')).toBe(1);
    expect(target.listenerCount('SIGTERM')).toBe(1);
  });

  it('a shutdown asked for by the host (the parent went away) counts as the first', () => {
    const target = new EventEmitter();
    const { logger } = recordingLogger();
    const reasons: string[] = [];
    const handle = shutdownOnSignals(logger, new SimulatedClock({ startMs: 0 }), (reason) => reasons.push(reason), target as unknown as NodeJS.Process);
    handle.request('parent exited');
    target.emit('SIGTERM');
    expect(reasons).toEqual(['parent exited']);
  });
});
