/**
 * How many microtask turns the async helpers yield after each fired timer. A promise chain needs a
 * few turns per `await` (an async function's return adds two more), so 64 turns settle chains of
 * roughly twenty awaits, which covers the harness and RPC code in this project with room to spare.
 */
export const MICROTASK_TURNS_DEFAULT = 64;

/**
 * Lets pending promise callbacks run, without yielding to the event loop: no macrotask (I/O, real
 * timer, `setImmediate`) can interleave, so a simulated run stays deterministic. Bounded, because a
 * promise loop that never ends would otherwise hang the caller.
 */
export async function flushMicrotasks(turns: number = MICROTASK_TURNS_DEFAULT): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await Promise.resolve();
}
