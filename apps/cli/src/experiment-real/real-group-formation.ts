/**
 * A real run's setup ends as a simulated run's does: the groups' first members form their groups before the
 * workload starts, checked by the simulation's own formation check (every member stable and holding what the
 * coordinator says it owns; under KIP-848 reconciled at the target assignment epoch), the coordinator's view
 * asked of the `cluster up` through the Admin client. Polled on the wall clock, bounded by GROUP_FORMATION_MAX_MS
 * (the simulated runner's bound, in simulated time there) unless the caller gives another.
 */
import type { Admin } from '@kactor/client';
import { systemClock } from '@kactor/runtime';
import { sleep } from './cli-process.js';
import { firstUnformedGroup, GROUP_FORMATION_MAX_MS, type FormingGroup } from './simulation-adapter.js';

/** How often the setup looks whether the groups formed. */
const FORMATION_CHECK_MS = 200;
/** How long one look at the coordinator may take before it counts as "not formed yet". */
const DESCRIBE_TIMEOUT_MS = 5_000;

/** Undefined once every group with a live member has formed; why one has not, once `timeoutMs` has passed. */
export async function awaitRealGroupsFormed(groups: readonly FormingGroup[], admin: Admin, partitionCount: (topic: string) => number, timeoutMs = GROUP_FORMATION_MAX_MS): Promise<string | undefined> {
  const forming = groups.filter((group) => group.live().length > 0);
  if (forming.length === 0) return undefined;
  const deadlineMs = systemClock.now() + timeoutMs;
  const describe = (groupIds: string[]) => admin.describeGroups(groupIds, { timeoutMs: DESCRIBE_TIMEOUT_MS });
  for (;;) {
    const reason = await firstUnformedGroup(forming, describe, partitionCount);
    if (reason === undefined) return undefined;
    if (systemClock.now() >= deadlineMs) return `the groups did not settle within ${timeoutMs} ms of their members starting: ${reason}`;
    await sleep(FORMATION_CHECK_MS);
  }
}
