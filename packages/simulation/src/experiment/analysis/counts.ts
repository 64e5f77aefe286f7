/**
 * The run's plain counts: records acknowledged (the whole trace) and processed (in the run's window,
 * RunWindow, repeats included), requests and heartbeats the members sent, and false evictions.
 *
 * - Requests come from client.requests samples, each the requests a client sent so far by API name; the
 *   latest sample of each member counts (a later sample includes the earlier). Only members count
 *   (`<group>/member-<index>`), not producers. Heartbeats are the classic Heartbeat and KIP-848's
 *   ConsumerGroupHeartbeat, by Kafka's name or the protocol registry's.
 * - A false eviction is a member losing its partitions (member.lost) while alive, after a pause: it was
 *   paused since it started and neither crashed nor closed, so the group took its partitions from a member
 *   that was only slow. Each pause counts at most once.
 */
import type { TraceEvent, TraceObserver } from '../trace.js';
import { RunWindow } from './run-window.js';

export const HEARTBEAT_API_NAMES: ReadonlySet<string> = new Set(['Heartbeat', 'heartbeat', 'ConsumerGroupHeartbeat', 'consumerGroupHeartbeat']);

const MEMBER_NAME = /\/member-\d+$/;

export interface RunCounts {
  recordsAcked: number;
  recordsProcessed: number;
  requests: number;
  heartbeats: number;
  falseEvictions: number;
}

export class CountsAnalyzer implements TraceObserver {
  private recordsAcked = 0;
  private recordsProcessed = 0;
  private readonly window: RunWindow;
  /** Member -> its latest request sample's totals. */
  private readonly requests = new Map<string, { requests: number; heartbeats: number }>();
  /** Members paused since they started (or since their last counted eviction) and not crashed or closed. */
  private readonly pausedAlive = new Set<string>();
  private falseEvictions = 0;

  constructor(durationMs: number) {
    this.window = new RunWindow(durationMs);
  }

  observe(event: TraceEvent): void {
    const inWindow = this.window.place(event) === 'inside';
    switch (event.type) {
      case 'record.acked':
        this.recordsAcked += 1;
        return;
      case 'record.processed':
        if (inWindow) this.recordsProcessed += 1;
        return;
      case 'client.requests': {
        if (!MEMBER_NAME.test(event.client)) return;
        let requests = 0;
        let heartbeats = 0;
        for (const [api, count] of Object.entries(event.requests)) {
          requests += count;
          if (HEARTBEAT_API_NAMES.has(api)) heartbeats += count;
        }
        this.requests.set(event.client, { requests, heartbeats });
        return;
      }
      case 'member.paused':
        this.pausedAlive.add(event.member);
        return;
      case 'member.started':
      case 'member.crashed':
      case 'member.closed':
        this.pausedAlive.delete(event.member);
        return;
      case 'member.lost':
        if (event.partitions.length > 0 && this.pausedAlive.delete(event.member)) this.falseEvictions += 1;
        return;
      default:
        return;
    }
  }

  result(): RunCounts {
    let requests = 0;
    let heartbeats = 0;
    for (const sample of this.requests.values()) {
      requests += sample.requests;
      heartbeats += sample.heartbeats;
    }
    return { recordsAcked: this.recordsAcked, recordsProcessed: this.recordsProcessed, requests, heartbeats, falseEvictions: this.falseEvictions };
  }
}
