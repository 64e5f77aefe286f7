/**
 * The setup's last step: the groups form before the workload and the measured window start, so that the first
 * rebalance a run measures is the first one its timeline causes, under every protocol.
 *
 * A group has formed when its members and its coordinator agree that it is settled:
 * - every live member is stable in its protocol and each partition of the group's topics is held by exactly one of
 *   them (ExperimentGroup.settled), each member holding what the coordinator says it owns;
 * - classic protocol: the coordinator's group is Stable with every live member, all in its generation;
 * - consumer protocol (KIP-848): the coordinator's group is Stable, its target assignment is for the current group
 *   epoch, and every member's epoch is that target assignment epoch with nothing pending revocation and its
 *   assignment equal to its target (reconciled). A member stable at an older epoch has not heard of the newer target
 *   yet (it will at its next heartbeat, and then reconcile): that is not formed.
 * The coordinator's view comes from the Admin's describeGroups (ConsumerGroupDescribe for a consumer group), asked
 * only once the members' own view looks settled; the check is formation-check.ts, which the CLI's `--real` runner
 * shares. Bounded in simulated time: a group that does not form within GROUP_FORMATION_MAX_MS fails the run with the
 * reason it was still unsettled.
 */
import type { Admin } from '@kactor/client';
import { formatDurationMs } from '../report/format-values.js';
import type { ExperimentGroup } from './experiment-group.js';
import { firstUnformedGroup } from './formation-check.js';
import type { RunContext } from './run-context.js';
import { RunSetupError } from './run-setup-error.js';

/** The longest the groups may take to form (simulated) once their members started, before the run fails. */
export const GROUP_FORMATION_MAX_MS = 120_000;
/** How often the setup looks whether the groups formed. */
const FORMATION_CHECK_MS = 100;
/** How long one look at the coordinator may take (simulated) before it counts as "not formed yet". */
const DESCRIBE_TIMEOUT_MS = 5_000;

export async function awaitGroupsFormed(run: RunContext, admin: Admin, groups: readonly ExperimentGroup[], partitionCount: (topic: string) => number): Promise<void> {
  const forming = groups.filter((group) => group.live().length > 0);
  if (forming.length === 0) return;
  const deadlineMs = run.cluster.clock.now() + GROUP_FORMATION_MAX_MS;
  const describe = (groupIds: string[]) => run.settle(admin.describeGroups(groupIds, { timeoutMs: DESCRIBE_TIMEOUT_MS }), 'the groups are described', 2 * DESCRIBE_TIMEOUT_MS);
  for (;;) {
    const reason = await firstUnformedGroup(forming, describe, partitionCount);
    if (reason === undefined) return;
    if (run.cluster.clock.now() >= deadlineMs) throw new RunSetupError(`the groups did not settle within ${formatDurationMs(GROUP_FORMATION_MAX_MS)} of their members starting: ${reason}`);
    await run.cluster.advance(FORMATION_CHECK_MS);
  }
}
