import { describe, expect, it } from 'vitest';
import { parseDateTime, parseIsoDuration, parseResetOptions } from './group-reset-options.js';

const now = Date.UTC(2024, 0, 31, 12, 0, 0, 0);

describe('groups reset-offsets options (Kafka kafka-consumer-groups.sh --reset-offsets)', () => {
  it('is a dry run unless --execute is given; --dry-run is accepted and means the same', () => {
    expect(parseResetOptions({ topic: ['orders'], toEarliest: true }, now).execute).toBe(false);
    expect(parseResetOptions({ topic: ['orders'], toEarliest: true, dryRun: true }, now).execute).toBe(false);
    expect(parseResetOptions({ topic: ['orders'], toEarliest: true, execute: true }, now).execute).toBe(true);
    expect(() => parseResetOptions({ topic: ['orders'], toEarliest: true, execute: true, dryRun: true }, now)).toThrow('Option --reset-offsets only accepts one of --execute and --dry-run');
  });

  it('needs exactly one reset spec, with Kafka\'s texts for none and for two', () => {
    expect(() => parseResetOptions({ topic: ['orders'] }, now)).toThrow(
      'Option --reset-offsets requires one of the following scenarios: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --to-current, --to-offset',
    );
    expect(() => parseResetOptions({ topic: ['orders'], toEarliest: true, toOffset: 3 }, now)).toThrow('Option "--to-earliest" can\'t be used with option "--to-offset"');
    expect(() => parseResetOptions({ topic: ['orders'], shiftBy: -2, toLatest: true }, now)).toThrow('can\'t be used with option');
  });

  it('needs a scope: --topic (repeatable, with partitions) or --all-topics, not both', () => {
    expect(parseResetOptions({ topic: ['orders:0,2', 'audit'], toLatest: true }, now).scope).toEqual({
      kind: 'topics',
      topics: [{ topic: 'orders', partitions: [0, 2] }, { topic: 'audit' }],
    });
    expect(parseResetOptions({ allTopics: true, toLatest: true }, now).scope).toEqual({ kind: 'allTopics' });
    expect(() => parseResetOptions({ toLatest: true }, now)).toThrow('One of the reset scopes should be defined: --all-topics, --topic.');
    expect(() => parseResetOptions({ allTopics: true, topic: ['orders'], toLatest: true }, now)).toThrow('"--all-topics" can\'t be used with option "--topic"');
    expect(() => parseResetOptions({ topic: ['orders:x'], toLatest: true }, now)).toThrow(/not a partition number/);
  });

  it('turns each spec into its plan input', () => {
    const spec = (options: object) => parseResetOptions({ topic: ['t'], ...options }, now).spec;
    expect(spec({ toCurrent: true })).toEqual({ kind: 'current' });
    expect(spec({ toOffset: 7 })).toEqual({ kind: 'offset', offset: 7 });
    expect(spec({ shiftBy: -3 })).toEqual({ kind: 'shiftBy', shift: -3 });
    expect(spec({ toDatetime: '2024-01-31T08:00:00.000' })).toEqual({ kind: 'timestamp', timestampMs: Date.UTC(2024, 0, 31, 8) });
    expect(spec({ byDuration: 'PT1H' })).toEqual({ kind: 'timestamp', timestampMs: now - 3_600_000 });
  });

  it("reads --to-datetime in Kafka's format: UTC without a zone, Z, +hh:mm, -hhmm; refuses other shapes and impossible dates", () => {
    expect(parseDateTime('2024-01-31T08:00:00.123')).toBe(Date.UTC(2024, 0, 31, 8, 0, 0, 123));
    expect(parseDateTime('2024-01-31T08:00:00.000Z')).toBe(Date.UTC(2024, 0, 31, 8));
    expect(parseDateTime('2024-01-31T10:00:00.000+02:00')).toBe(Date.UTC(2024, 0, 31, 8));
    expect(parseDateTime('2024-01-31T03:30:00.000-0430')).toBe(Date.UTC(2024, 0, 31, 8));
    for (const bad of ['2024-01-31', '2024-01-31T08:00:00', '2024-02-30T08:00:00.000', '2024-01-31T25:00:00.000', 'yesterday']) {
      expect(() => parseDateTime(bad)).toThrow(/Error parsing timestamp/);
    }
  });

  it('reads --by-duration as ISO-8601 PnDTnHnMnS (Java Duration.parse)', () => {
    expect(parseIsoDuration('PT1H')).toBe(3_600_000);
    expect(parseIsoDuration('P1DT2H')).toBe(26 * 3_600_000);
    expect(parseIsoDuration('PT30M')).toBe(1_800_000);
    expect(parseIsoDuration('PT1.5S')).toBe(1_500);
    expect(parseIsoDuration('p2d')).toBe(2 * 86_400_000);
    for (const bad of ['1h', 'P', 'PT', 'P1Y', 'PT1H30', '']) expect(() => parseIsoDuration(bad)).toThrow(/Error parsing duration/);
  });
});
