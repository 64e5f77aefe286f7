import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { namesOption, seedOption, speedOption } from './experiment-flags.js';

describe('kactor experiment flags', () => {
  it('reads --variants and --cases as comma lists, blanks around names ignored', () => {
    expect(namesOption('--variants')('classic-eager,classic-cooperative, consumer')).toEqual(['classic-eager', 'classic-cooperative', 'consumer']);
    expect(namesOption('--cases')('small')).toEqual(['small']);
  });

  it('refuses an empty name in a list with a one-line error naming the flag', () => {
    expect(() => namesOption('--variants')('classic-eager,,consumer')).toThrow(InvalidArgumentError);
    expect(() => namesOption('--variants')('')).toThrow(/^--variants takes names separated by commas, got ""\.$/);
  });

  it('reads --seed as one whole number', () => {
    expect(seedOption('17')).toBe(17);
    expect(() => seedOption('1..3')).toThrow(/^--seed takes a whole number, got "1\.\.3"\.$/);
    expect(() => seedOption('-2')).toThrow(InvalidArgumentError);
  });

  it('reads --speed as a positive number of simulated seconds per second', () => {
    expect(speedOption('0.5')).toBe(0.5);
    expect(speedOption('10')).toBe(10);
    expect(() => speedOption('0')).toThrow(/--speed takes a positive number/);
    expect(() => speedOption('fast')).toThrow(InvalidArgumentError);
  });
});
