import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from '../clock/simulated-clock.js';
import { actorLogger, createLogger, LOG_LEVEL_ENV, type DestinationStream } from './logger.js';

/** A destination that keeps every JSON line, parsed. */
function captureLines(): DestinationStream & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    write(chunk: string) {
      for (const line of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
}

describe('createLogger', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is silent by default', () => {
    vi.stubEnv(LOG_LEVEL_ENV, '');
    const destination = captureLines();
    const logger = createLogger({ destination });
    logger.fatal('nobody hears this');
    expect(logger.level).toBe('silent');
    expect(destination.lines).toEqual([]);
  });

  it(`takes its level from ${LOG_LEVEL_ENV} when the caller gives none`, () => {
    vi.stubEnv(LOG_LEVEL_ENV, 'DEBUG');
    const destination = captureLines();
    const logger = createLogger({ destination });
    logger.debug('shown');
    logger.trace('hidden');
    expect(destination.lines.map((line) => line.msg)).toEqual(['shown']);
  });

  it('prefers the level option over the environment', () => {
    vi.stubEnv(LOG_LEVEL_ENV, 'trace');
    const destination = captureLines();
    createLogger({ level: 'warn', destination }).info('hidden');
    expect(destination.lines).toEqual([]);
  });

  it('names the variable when its level is not one it knows', () => {
    vi.stubEnv(LOG_LEVEL_ENV, 'verbose');
    expect(() => createLogger()).toThrow(/KACTOR_LOG_LEVEL must be one of .*got "verbose"/);
  });

  it('writes no pid or hostname unless given base fields', () => {
    const plain = captureLines();
    createLogger({ level: 'info', destination: plain }).info('hello');
    expect(Object.keys(plain.lines[0]!).sort()).toEqual(['level', 'msg', 'time']);

    const withBase = captureLines();
    createLogger({ level: 'info', destination: withBase, base: { pid: 1234 } }).info('hello');
    expect(withBase.lines[0]).toMatchObject({ pid: 1234, msg: 'hello' });
  });

  it('stamps lines with the injected clock, so simulated logs carry simulated time', () => {
    const clock = new SimulatedClock({ startMs: 1_000 });
    const destination = captureLines();
    const logger = createLogger({ level: 'info', destination, clock });
    logger.info('first');
    clock.advanceBy(250);
    logger.info('second');
    expect(destination.lines.map((line) => line.time)).toEqual([1_000, 1_250]);
  });
});

describe('actorLogger', () => {
  it("adds the actor's identity to every line and leaves absent fields out", () => {
    const destination = captureLines();
    const root = createLogger({ level: 'info', destination });
    const logger = actorLogger(root, { node: 1, actor: 'consumer', groupId: 'billing', memberId: undefined, generation: 3 });
    logger.info({ partition: 2 }, 'assigned');
    expect(destination.lines[0]).toMatchObject({ node: 1, actor: 'consumer', groupId: 'billing', generation: 3, partition: 2 });
    expect(destination.lines[0]).not.toHaveProperty('memberId');
  });
});
