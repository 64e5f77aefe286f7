/**
 * Consumer-group figures on a real 3-broker cluster (`kactor cluster up` with
 * group.initial.rebalance.delay.ms=0, so formation is not padded by the delay meant for restarts):
 * - formation: groups of 1, 10 and 100 real `Consumer`s, from subscribe() until every member is `stable` in
 *   one generation, against the same group formed with bare JoinGroup/SyncGroup requests (the protocol's
 *   own cost) measured in the same run;
 * - heartbeats: the coordinator's Heartbeat answers per second for a 100-member group, against raw `ws`
 *   round trips per second with the same number in flight.
 * Each formation figure is the median of three groups.
 */
import { Admin, systemClientRuntime } from '@kactor/client';
import { startBenchCluster } from './cluster-process.js';
import { measureGroupFormation } from './group-formation.js';
import { measureHeartbeats } from './heartbeat-throughput.js';
import { benchRpcClient, findCoordinator, formRawGroup } from './raw-group.js';
import { measureRawRoundTrips } from './ws-round-trips.js';

export interface FormationRow {
  members: number;
  consumerMs: number;
  rawProtocolMs: number;
  /** Generations the consumers' group went through before the stable one, in the median run. */
  rebalances: number;
}

export interface GroupBenchResult {
  formation: FormationRow[];
  heartbeats: { members: number; inFlight: number; heartbeatsPerSecond: number; rawRoundTripsPerSecond: number };
}

const runs = 3;
const topic = 'bench-groups';
const median = <T>(values: T[], key: (value: T) => number): T => [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)] as T;

async function timeRawFormation(bootstrap: string, groupId: string, members: number): Promise<number> {
  const started = performance.now();
  const found = await findCoordinator(bootstrap, groupId);
  const coordinator = benchRpcClient(found.url, members + 1);
  try {
    await formRawGroup(coordinator, groupId, members);
    return performance.now() - started;
  } finally {
    coordinator.close();
  }
}

export async function measureGroups(options: { basePort: number; sizes: number[]; heartbeatMembers: number; heartbeatInFlight: number; heartbeatDurationMs: number }): Promise<GroupBenchResult> {
  const cluster = await startBenchCluster(options.basePort, ['group.initial.rebalance.delay.ms=0']);
  const admin = Admin.create({ 'bootstrap.servers': cluster.bootstrap }, systemClientRuntime());
  try {
    const [created] = await admin.createTopics([{ name: topic, numPartitions: 100 }]);
    if (created?.error) throw created.error;
    // The first group also creates __consumer_offsets and warms up every process: not measured.
    await measureGroupFormation(cluster.bootstrap, { groupId: 'bench-warm-up', topic, members: 1, timeoutMs: 60_000 });
    const formation: FormationRow[] = [];
    for (const members of options.sizes) {
      const consumer = [];
      const raw = [];
      for (let run = 0; run < runs; run += 1) {
        consumer.push(await measureGroupFormation(cluster.bootstrap, { groupId: `bench-consumers-${members}-${run}`, topic, members, timeoutMs: 120_000 }));
        raw.push(await timeRawFormation(cluster.bootstrap, `bench-raw-${members}-${run}`, members));
      }
      const typical = median(consumer, (result) => result.ms);
      formation.push({ members, consumerMs: typical.ms, rawProtocolMs: median(raw, (ms) => ms), rebalances: typical.rebalances });
    }
    const heartbeat = await measureHeartbeats(cluster.bootstrap, { groupId: 'bench-heartbeats', members: options.heartbeatMembers, durationMs: options.heartbeatDurationMs, inFlight: options.heartbeatInFlight });
    // A Heartbeat request is about 80 bytes on the wire; the baseline echoes frames of that size.
    const raw = await measureRawRoundTrips({ inFlight: options.heartbeatInFlight, frameBytes: 80, durationMs: options.heartbeatDurationMs });
    return {
      formation,
      heartbeats: { members: options.heartbeatMembers, inFlight: options.heartbeatInFlight, heartbeatsPerSecond: heartbeat.heartbeatsPerSecond, rawRoundTripsPerSecond: raw.roundTripsPerSecond },
    };
  } finally {
    admin.close();
    await cluster.stop();
  }
}
