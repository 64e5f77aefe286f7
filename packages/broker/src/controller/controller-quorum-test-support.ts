/**
 * A quorum-mode controller actor on a simulated clock for machine tests, with a fake Raft leader log: `append` records
 * each batch and gives it the next offsets (or throws a NotLeaderError once the node no longer leads), and the test
 * decides when records commit by sending `quorum.committed` for a high watermark, as the Raft replica would.
 */
import { decodeRecordBatches, type RequestBody } from '@kactor/protocol';
import { createLogger, createSeededRandom, SimulatedClock, type PeerRequester, type RequestRef, type Responder } from '@kactor/runtime';
import type { AppendOptions, ReadResult } from '@kactor/storage';
import { createActor } from 'xstate';
import { controllerMachine, type ControllerConfig } from './controller.machine.js';
import type { MetadataLog } from './metadata-log-writer.js';
import type { MetadataRecord } from './metadata-records.js';
import type { LogLine } from './controller-test-support.js';

/** What the Raft host throws when this node does not lead (matched by name, as the controller does). */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';

  constructor(readonly leaderId: number | undefined) {
    super(`this node does not lead the metadata quorum (leader: ${leaderId ?? 'none known'})`);
  }
}

const decoder = new TextDecoder();

/** The Raft leader's log as the controller sees it: appends get the next offsets; nothing is ever read. */
export class FakeQuorumLog implements MetadataLog {
  readonly records: Array<{ offset: number; record: MetadataRecord }> = [];
  logEndOffset = 0;
  readonly logStartOffset = 0;
  leading = true;
  /** The leader a refused append names. */
  leaderId: number | undefined = undefined;

  read(): ReadResult {
    throw new Error('a quorum controller never reads the metadata log itself');
  }

  append(batches: Uint8Array, options: AppendOptions): { baseOffset: number } {
    if (!this.leading) throw new NotLeaderError(this.leaderId);
    const baseOffset = this.logEndOffset;
    const decoded = decodeRecordBatches(batches).batches.flatMap((batch) => batch.records);
    if (decoded.length !== options.recordCount) throw new Error(`batch of ${decoded.length} records announced as ${options.recordCount}`);
    decoded.forEach((record, index) => this.records.push({ offset: baseOffset + index, record: JSON.parse(decoder.decode(record.value ?? new Uint8Array())) as MetadataRecord }));
    this.logEndOffset += decoded.length;
    return { baseOffset };
  }

  appendOrDefer(batches: Uint8Array, options: AppendOptions): { baseOffset: number } {
    return this.append(batches, options);
  }

  /** Records written by another leader (they arrive by replication), at the next offsets. */
  replicate(records: readonly MetadataRecord[]): void {
    for (const record of records) this.records.push({ offset: this.logEndOffset++, record });
  }

  /** A control batch (a LeaderChangeMessage at the epoch start): takes an offset, carries no metadata record. */
  appendControlRecord(): void {
    this.logEndOffset += 1;
  }
}

export interface Answer {
  ref: RequestRef;
  body: unknown;
}

export function startQuorumController(options: { controllerId?: number; config?: Partial<ControllerConfig>; clock?: SimulatedClock } = {}) {
  const clock = options.clock ?? new SimulatedClock({ startMs: 1_700_000_000_000 });
  const lines: LogLine[] = [];
  const logger = createLogger({ clock, level: 'info', destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as LogLine) } });
  const log = new FakeQuorumLog();
  const pushes: string[] = [];
  const peers: PeerRequester = { request: (url) => void pushes.push(url) };
  const answers: Answer[] = [];
  const responder: Responder = { respond: (ref, body) => void answers.push({ ref, body }), respondError: () => undefined, finish: () => undefined };
  const controllerId = options.controllerId ?? 0;
  const actor = createActor(controllerMachine, {
    clock,
    input: {
      controllerId,
      clusterId: 'cluster-1',
      mode: 'quorum',
      config: { brokerSessionTimeoutMs: 9_000, defaultNumPartitions: 1, defaultReplicationFactor: 3, ...options.config },
      ports: { clock, random: createSeededRandom(1), log, peers, responder, logger, topicConfigProblem: () => undefined },
    },
  }).start();

  let delivered = 0;
  /** The Raft replica reports the records below `highWatermark` (default: the log end) committed. */
  const commit = (highWatermark = log.logEndOffset) => {
    const records = log.records.filter(({ offset }) => offset >= delivered && offset < highWatermark);
    delivered = Math.max(delivered, highWatermark);
    actor.send({ type: 'quorum.committed', records, highWatermark });
    return records;
  };
  /** Another leader's records, replicated and committed. */
  const replicateCommitted = (records: readonly MetadataRecord[]) => {
    log.replicate(records);
    return commit();
  };
  /** Elected: the epoch's LeaderChangeMessage is committed (every earlier record with it), then Raft says this node leads. */
  const claim = (epoch = 1) => {
    log.leading = true;
    log.appendControlRecord();
    commit();
    actor.send({ type: 'quorum.claimed', epoch });
  };

  let correlationId = 0;
  const ref = (api: RequestRef['api']): RequestRef => ({ connectionId: 'test', correlationId: (correlationId += 1), api, version: 0, remoteAddress: 'test' });
  const answerTo = (request: RequestRef) => answers.find((answer) => answer.ref === request)?.body;
  const send = <A extends 'createTopics' | 'deleteTopics' | 'createPartitions' | 'electLeaders' | 'alterPartition' | 'brokerRegistration' | 'brokerHeartbeat' | 'allocateProducerIds'>(api: A, body: RequestBody<A>) => {
    const request = ref(api);
    actor.send({ type: `request.${api}`, ref: request, body } as Parameters<typeof actor.send>[0]);
    return request;
  };
  const createTopic = (name: string, timeoutMs = 30_000) =>
    send('createTopics', { topics: [{ name, numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }], timeoutMs, validateOnly: false });
  const heartbeat = (brokerId: number, currentMetadataOffset: number) => {
    const brokerEpoch = actor.getSnapshot().context.state.brokers[brokerId]?.brokerEpoch ?? -1;
    return send('brokerHeartbeat', { brokerId, brokerEpoch, currentMetadataOffset, wantFence: false, wantShutDown: false });
  };
  const context = () => actor.getSnapshot().context;
  return { clock, actor, log, lines, pushes, answers, commit, replicateCommitted, claim, send, createTopic, heartbeat, answerTo, context };
}
