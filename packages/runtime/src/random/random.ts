/**
 * The source of randomness every actor gets injected. A seeded implementation makes a whole simulated
 * cluster reproducible: same seed, same run.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  nextInt(maxExclusive: number): number;
  /** `length` random bytes. */
  nextBytes(length: number): Uint8Array;
}
