/**
 * Waiting for a topic's partitions to reach a state, through an in-process Admin client. A test that waits by running
 * `kactor topics describe` in a loop starts a CLI process per look (seconds of CPU each on a small machine); this
 * looks every 250 ms for almost nothing. The test then asks the CLI once, within its own bounded wait, to assert on
 * what a user sees.
 */
import { Admin, systemClientRuntime, type PartitionDescription } from '@kactor/client';
import { eventually } from './cli.js';

export async function untilPartitions(bootstrap: string, topic: string, check: (partitions: readonly PartitionDescription[]) => boolean, timeoutMs: number, description: string): Promise<void> {
  const admin = Admin.create({ 'bootstrap.servers': bootstrap, 'request.timeout.ms': 3_000 }, systemClientRuntime());
  try {
    await eventually(
      async () => {
        const [found] = await admin.describeTopics([topic], { timeoutMs: 3_000 });
        return found !== undefined && found.error === null && check(found.partitions) ? true : undefined;
      },
      timeoutMs,
      description,
    );
  } finally {
    await admin.close();
  }
}
