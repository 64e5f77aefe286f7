/**
 * A controller actor on a simulated clock for machine tests: an in-memory `__cluster_metadata` seeded with records
 * (replayed on start, as after a restart), brokers that only record the metadata images pushed to them, a responder
 * that keeps the answers, and a logger whose lines can be read.
 */
import { parseConfig, type RequestBody } from '@kactor/protocol';
import { createLogger, SimulatedClock, createSeededRandom, type PeerRequester, type RequestRef, type Responder } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import { createActor } from 'xstate';
import { controllerMachine, type ControllerConfig } from './controller.machine.js';
import { appendMetadataRecords, readMetadataRecords } from './metadata-log.js';
import { MetadataLogWriter } from './metadata-log-writer.js';
import type { MetadataRecord } from './metadata-records.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export function startController(seed: MetadataRecord[], config: Partial<ControllerConfig> = {}) {
  const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  const lines: LogLine[] = [];
  const logger = createLogger({ clock, level: 'info', destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as LogLine) } });
  const partitionLog = new MemoryLogStore({ clock }).open('__cluster_metadata', 0, 'metadata-topic-id', parseConfig('topic', {}));
  const log = new MetadataLogWriter(partitionLog, { clock, logger, retryIntervalMs: 2_000, maxDeferredRecords: 100 });
  appendMetadataRecords(log, seed, clock.now(), 'refuse');
  const pushes: Array<{ url: string; metadataOffset: number }> = [];
  const peers: PeerRequester = {
    request: (url, api, body) => {
      if (api === 'updateMetadata') pushes.push({ url, metadataOffset: (body as RequestBody<'updateMetadata'>).image.metadataOffset });
    },
  };
  const answers: unknown[] = [];
  const responder: Responder = { respond: (_ref, body) => void answers.push(body), respondError: () => undefined, finish: () => undefined };
  const actor = createActor(controllerMachine, {
    clock,
    input: {
      controllerId: 0,
      clusterId: 'cluster-1',
      config: { brokerSessionTimeoutMs: 9_000, defaultNumPartitions: 1, defaultReplicationFactor: 1, ...config },
      ports: {
        clock,
        random: createSeededRandom(1),
        log,
        peers,
        responder,
        logger,
        topicConfigProblem: () => undefined,
      },
    },
  }).start();
  let correlationId = 0;
  const ref = (api: RequestRef['api']): RequestRef => ({ connectionId: 'test', correlationId: (correlationId += 1), api, version: 0, remoteAddress: 'test' });
  /** The broker heartbeats, caught up with the controller's metadata. */
  const heartbeat = (brokerId: number, wants: { wantFence?: boolean; wantShutDown?: boolean } = {}) => {
    const state = actor.getSnapshot().context.state;
    const brokerEpoch = state.brokers[brokerId]?.brokerEpoch ?? -1;
    actor.send({
      type: 'request.brokerHeartbeat',
      ref: ref('brokerHeartbeat'),
      body: { brokerId, brokerEpoch, currentMetadataOffset: state.metadataOffset, wantFence: wants.wantFence ?? false, wantShutDown: wants.wantShutDown ?? false },
    });
  };
  const partition = (topic: string, index: number) => actor.getSnapshot().context.state.topics[topic]?.partitions[index];
  const written = () => readMetadataRecords(partitionLog).map(({ record }) => record);
  return { clock, actor, lines, pushes, answers, heartbeat, partition, written, ref };
}
