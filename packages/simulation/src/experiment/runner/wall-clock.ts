/**
 * Wall-clock time, for the one figure that needs it: how much faster than real time a run went. It is only ever
 * measured and reported, never used to decide anything, so a run stays deterministic whatever the machine's speed.
 */
export function wallNowMs(): number {
  // eslint-disable-next-line no-restricted-globals -- the speed figure is wall-clock time by definition (see above).
  return performance.now();
}
