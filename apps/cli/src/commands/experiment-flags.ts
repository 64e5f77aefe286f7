/**
 * The flag parsers of `kactor experiment` that need nothing from the experiment library (which is loaded
 * only when an experiment command runs, so other commands start as fast as before): bad values are
 * commander's one-line errors.
 */
import { InvalidArgumentError } from 'commander';

/** A comma-separated list of names (`classic-eager,consumer`); blanks around names are ignored, empty names refused. */
export function namesOption(flag: string): (value: string) => string[] {
  return (value) => {
    const names = value.split(',').map((name) => name.trim());
    if (names.some((name) => name === '')) throw new InvalidArgumentError(`${flag} takes names separated by commas, got "${value}".`);
    return names;
  };
}

/** `--seed 17`: one seed, a non-negative integer. */
export function seedOption(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(seed)) throw new InvalidArgumentError(`--seed takes a whole number, got "${value}".`);
  return seed;
}

/** `--speed 10`: simulated seconds per real second, a positive number. */
export function speedOption(value: string): number {
  const speed = Number(value);
  if (value.trim() === '' || !Number.isFinite(speed) || speed <= 0) throw new InvalidArgumentError(`--speed takes a positive number (simulated seconds per second), got "${value}".`);
  return speed;
}
