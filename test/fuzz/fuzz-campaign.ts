/**
 * The broker fuzz campaign and its checker. It sends seeded frames (see frame-generator.ts) to a node over
 * client connections, and checks, from the outside only:
 *
 * - no crash: nothing thrown out of the node while it works, no uncaught exception or unhandled rejection;
 * - every frame is answered or its connection is closed, except requests that wait by design (a JoinGroup
 *   or SyncGroup waiting for the rest of its group, a Fetch or acks=-1 Produce asking to wait longer than
 *   the campaign's horizon, an acks=0 Produce, which Kafka never answers);
 * - every answer decodes with the client's decoder (a broker never builds a response its clients reject),
 *   and answers a frame that was sent, once;
 * - afterwards the node still serves a normal client.
 *
 * It knows the node only through `FuzzTarget` (a connection of the runtime's Transport and a way to let time
 * pass), so it runs against a simulated broker, a real one on a socket, or a planted stub.
 */
import { decodeRequestFrame, decodeResponseFrame, readFrameHeader, type ApiName, type DecodedRequest } from '@kactor/protocol';
import { createSeededRandom, type Connection } from '@kactor/runtime';
import { FrameGenerator } from './frame-generator.js';

export interface FuzzTarget {
  /** Opens a client connection to the node under test. */
  connect(): Promise<Connection>;
  /** Lets the node work for `ms` (of virtual time, for a simulated node). Throws when the node crashed. */
  advance(ms: number): Promise<void>;
  /** After the campaign: undefined when the node still serves a normal client, else what failed. */
  stillServing(): Promise<string | undefined>;
}

export interface CampaignOptions {
  readonly seed: number;
  readonly frames: number;
  /** Frames sent before the node is given `roundMs` to work. */
  readonly framesPerRound?: number;
  readonly roundMs?: number;
  /** Frames one connection carries before the next one takes over (a connection's queue is bounded). */
  readonly framesPerConnection?: number;
  /** How long the node may work after the last frame before an unanswered frame is a violation. */
  readonly horizonMs?: number;
  /** The node's `socket.request.max.bytes`, to tell which frames it may decode. */
  readonly maxFrameBytes?: number;
  /** Only these APIs (default: every API). */
  readonly apis?: readonly ApiName[];
  /** How the report says to run the campaign again. */
  readonly reproduce?: (seed: number, frames: number) => string;
}

export interface CampaignReport {
  readonly seed: number;
  readonly framesSent: number;
  readonly answered: number;
  /** Of the answers, those that are an API's response rather than a refusal of the whole frame (an error frame). */
  readonly responses: number;
  /** Unanswered when their connection closed (the node may close a connection that sends garbage). */
  readonly closedUnanswered: number;
  readonly waitingByDesign: number;
  readonly connectionsOpened: number;
  readonly connectionsClosedByNode: number;
  /** Frames sent per kind of frame (`valid fetch`, `bitflips joinGroup`, ...). */
  readonly kinds: Readonly<Record<string, number>>;
  readonly violations: readonly string[];
  /** One line: the seed, the figures and how to reproduce, for a failing assertion's message. */
  readonly summary: string;
}

interface SentFrame {
  readonly index: number;
  readonly kind: string;
  readonly frame: Uint8Array;
  answered: boolean;
}

interface OpenConnection {
  readonly connection: Connection;
  readonly label: string;
  /** By correlation id; frames too short for a header are answered with correlation id 0. */
  readonly pending: Map<number, SentFrame>;
  readonly headerless: SentFrame[];
  closed: boolean;
  sent: number;
}

const MAX_LISTED_VIOLATIONS = 20;

/**
 * XState reports an error thrown in an actor's action from a real timer (`setTimeout(() => { throw })`), so
 * the process sees it only once the event loop turns; a simulated clock alone never turns it.
 */
function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether a request may legitimately stay unanswered past the horizon. */
function waitsByDesign(decoded: DecodedRequest, horizonMs: number): boolean {
  if (!decoded.ok) return false;
  const { request } = decoded;
  switch (request.api) {
    case 'joinGroup':
    case 'syncGroup':
      return true;
    case 'fetch':
      return request.body.maxWaitMs > horizonMs;
    case 'produce':
      return request.body.acks === 0 || (request.body.acks === -1 && request.body.timeoutMs > horizonMs);
    default:
      return false;
  }
}

export async function runCampaign(target: FuzzTarget, options: CampaignOptions): Promise<CampaignReport> {
  const framesPerRound = options.framesPerRound ?? 100;
  const roundMs = options.roundMs ?? 20;
  const framesPerConnection = options.framesPerConnection ?? 250;
  const horizonMs = options.horizonMs ?? 120_000;
  const frameLimits = { maxFrameBytes: options.maxFrameBytes ?? 104_857_600 };
  const generator = new FrameGenerator(createSeededRandom(options.seed), {}, options.apis);
  const violations: string[] = [];
  const violate = (problem: string) => {
    if (violations.length < MAX_LISTED_VIOLATIONS) violations.push(problem);
    else if (violations.length === MAX_LISTED_VIOLATIONS) violations.push('... (more violations not listed)');
  };
  const crashes: Array<{ error: unknown; during: string }> = [];
  let round: SentFrame[] = [];
  const during = () => (round.length === 0 ? 'the wait after the last frame, or the check that the node still serves' : `the round of frames #${round[0]!.index}-#${round.at(-1)!.index} (${round.map((sent) => sent.kind).join(', ')})`);
  const onCrash = (error: unknown) => crashes.push({ error, during: during() });
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  const connections: OpenConnection[] = [];
  const kinds: Record<string, number> = {};
  let answered = 0;
  let responses = 0;
  let connectionsClosedByNode = 0;
  let framesSent = 0;

  const open = async (): Promise<OpenConnection> => {
    const connection = await target.connect();
    const entry: OpenConnection = { connection, label: `connection ${connections.length + 1}`, pending: new Map(), headerless: [], closed: false, sent: 0 };
    connection.onFrame((frame) => {
      const header = readFrameHeader(frame);
      const correlationId = header?.correlationId ?? -1;
      const sent = correlationId === 0 ? entry.headerless.shift() : entry.pending.get(correlationId);
      if (sent === undefined) {
        violate(`${entry.label}: an answer with correlation id ${correlationId} that matches no frame sent (or answers one twice)`);
        return;
      }
      entry.pending.delete(correlationId);
      sent.answered = true;
      answered += 1;
      const decoded = decodeResponseFrame(frame, frameLimits);
      const askedKey = readFrameHeader(sent.frame)?.apiKey;
      if (!decoded.ok) violate(`frame #${sent.index} (${sent.kind}): its answer does not decode: ${decoded.error.name} ${decoded.error.message}`);
      else if (askedKey !== undefined && header !== undefined && header.apiKey !== askedKey) violate(`frame #${sent.index} (${sent.kind}): answered as api key ${header.apiKey}, asked as ${askedKey}`);
      else if (decoded.kind === 'response') {
        responses += 1;
        // Later frames act as the members the node made (SyncGroup, Heartbeat, DescribeGroups of real members).
        if (decoded.api === 'joinGroup') generator.learn((decoded.body as { memberId: string }).memberId);
      }
    });
    connection.onClose(() => {
      entry.closed = true;
      connectionsClosedByNode += 1;
    });
    connections.push(entry);
    return entry;
  };

  const work = async (ms: number): Promise<void> => {
    try {
      await target.advance(ms);
    } catch (error) {
      crashes.push({ error, during: during() });
    }
  };

  try {
    let current = await open();
    while (framesSent < options.frames && crashes.length === 0) {
      round = [];
      for (let i = 0; i < framesPerRound && framesSent < options.frames; i++) {
        if (current.closed || current.sent >= framesPerConnection) current = await open();
        const correlationId = current.sent + 1;
        const { frame, kind } = generator.nextFrame(correlationId);
        const sent: SentFrame = { index: framesSent, kind, frame, answered: false };
        round.push(sent);
        kinds[kind.split(' ')[0]!] = (kinds[kind.split(' ')[0]!] ?? 0) + 1;
        if (frame.byteLength < 10) current.headerless.push(sent);
        else current.pending.set(correlationId, sent);
        current.connection.send(frame);
        current.sent += 1;
        framesSent += 1;
      }
      await work(roundMs);
      await eventLoopTurn();
    }
    round = [];
    await work(horizonMs);
    await eventLoopTurn();
  } catch (error) {
    crashes.push({ error, during: during() });
  }

  let notServing: string | undefined;
  if (crashes.length === 0) {
    // Still listening for crashes: the check's own requests make the node work (appends, timers) too.
    round = [];
    notServing = await target.stillServing().catch((error: unknown) => `the check itself failed: ${String(error)}`);
  }
  await eventLoopTurn();
  await eventLoopTurn();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);

  for (const { error, during: when } of crashes) {
    violate(`crash during ${when}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  let closedUnanswered = 0;
  let waitingByDesign = 0;
  for (const entry of connections) {
    for (const sent of [...entry.pending.values(), ...entry.headerless]) {
      if (entry.closed) {
        closedUnanswered += 1;
      } else if (waitsByDesign(decodeRequestFrame(sent.frame, frameLimits), horizonMs)) {
        waitingByDesign += 1;
      } else {
        violate(`frame #${sent.index} (${sent.kind}) on ${entry.label} was neither answered nor its connection closed within ${horizonMs} ms`);
      }
    }
  }
  if (notServing !== undefined) violate(`after the campaign the node no longer serves a normal client: ${notServing}`);
  const reproduce = options.reproduce?.(options.seed, options.frames) ?? `seed ${options.seed}`;
  const summary =
    `fuzz seed ${options.seed}: ${framesSent} frames, ${answered} answered (${responses} by the API, the rest refused whole), ${closedUnanswered} closed unanswered, ` +
    `${waitingByDesign} waiting by design, ${connections.length} connections (${connectionsClosedByNode} closed by the node); ` +
    `${violations.length} violation(s). Reproduce: ${reproduce}`;
  for (const entry of connections) if (!entry.closed) entry.connection.close();
  return { seed: options.seed, framesSent, answered, responses, closedUnanswered, waitingByDesign, connectionsOpened: connections.length, connectionsClosedByNode, kinds, violations, summary };
}
