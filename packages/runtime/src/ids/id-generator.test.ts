import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../random/seeded-random.js';
import { createIdGenerator, systemIdGenerator } from './id-generator.js';

const URL_SAFE_ID = /^[A-Za-z0-9_-]{21}$/;

describe('createIdGenerator', () => {
  it('repeats the same ids for the same seed', () => {
    const draw = (): string[] => {
      const ids = createIdGenerator(createSeededRandom(42));
      return [ids.next(), ids.next('consumer'), ids.next('topic')];
    };
    const first = draw();
    expect(draw()).toEqual(first);
    expect(first).toEqual(['8SFNO6YRSsdJYvay4OWCL', 'consumer-ery9IQ9ss7U46d2VxZeXH', 'topic-maO2tYHcdLxgnmXJz82lV']);
  });

  it('differs between seeds and between calls', () => {
    const a = createIdGenerator(createSeededRandom(1));
    const b = createIdGenerator(createSeededRandom(2));
    const ids = [a.next(), a.next(), b.next(), b.next()];
    expect(new Set(ids).size).toBe(4);
  });

  it('gives 21 url-safe characters after the prefix and its dash', () => {
    const ids = createIdGenerator(createSeededRandom('shape'));
    expect(ids.next()).toMatch(URL_SAFE_ID);
    const prefixed = ids.next('member');
    expect(prefixed.startsWith('member-')).toBe(true);
    expect(prefixed.slice('member-'.length)).toMatch(URL_SAFE_ID);
    expect(ids.next('')).toMatch(URL_SAFE_ID);
  });
});

describe('systemIdGenerator', () => {
  it('gives unique, well-formed ids', () => {
    const ids = Array.from({ length: 1_000 }, () => systemIdGenerator.next('incarnation'));
    expect(new Set(ids).size).toBe(1_000);
    for (const id of ids) expect(id.slice('incarnation-'.length)).toMatch(URL_SAFE_ID);
  });
});
