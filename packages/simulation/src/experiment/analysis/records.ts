/**
 * Lost and duplicated records, as a stream (Jepsen's `lost-write`/`unseen` and `duplicate` for a queue).
 *
 * - Lost: a record the brokers acknowledged (record.acked) that no member of a group subscribed to its
 *   topic ever processed, checked per group at the end (after the runner's drain phase).
 * - Processed twice: a record (by id) processed more than once within one group; counted, and a violation
 *   only beyond the group's delivery guarantee:
 *   - at-least-once allows a record to be processed again when its offset was not committed yet (the new
 *     owner starts at the committed offset, so it repeats what the old one processed after its last
 *     commit). Processing it again although the group's last acknowledged commit for the partition was
 *     already past its offset is a violation (Jepsen's and Kafka's system tests' commit semantics: the
 *     position never goes back behind a commit);
 *   - exactly-once allows no record processed twice.
 * - An id acknowledged twice is a record written twice into the log (the producers send unique values, so only a
 *   retried produce can write one twice): a violation when its producer is idempotent (enable.idempotence, which
 *   exists to prevent exactly that), allowed when it is not, as Kafka allows it. A producer run.started does not
 *   name is taken as idempotent (Kafka's default). Either way, the group processes both copies, which counts in
 *   the records processed twice.
 *
 * The batch checkers in ../../checkers/records.ts (findLostRecords, findDuplicatedRecords) take the whole
 * history; this one keeps only a map of acknowledged ids and, per group, one of processed ids, so a long run
 * does not keep its trace.
 */
import type { Violation } from '../model.js';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { topicOf, ViolationList } from './trace-vocabulary.js';

type Guarantee = 'at-least-once' | 'exactly-once';

interface AckedRecord {
  partition: string;
  offset: number;
}

interface GroupRecords {
  guarantee: Guarantee;
  /** Record id -> the member that processed it first. */
  readonly processedBy: Map<string, string>;
  /** Ids processed more than once. */
  readonly repeated: Set<string>;
  /** Partition -> the last acknowledged committed offset (the next offset to read). */
  readonly committed: Map<string, number>;
}

export class RecordsAnalyzer implements TraceObserver {
  private readonly groups = new Map<string, GroupRecords>();
  private readonly groupsByTopic = new Map<string, string[]>();
  private readonly acked = new Map<string, AckedRecord>();
  /** Producers run.started names as not idempotent: a record they wrote twice is no violation. */
  private readonly notIdempotent = new Set<string>();
  private readonly lost = new ViolationList('lost');
  private readonly duplicated = new ViolationList('duplicated');
  private processedUnique = 0;
  private processedTwice = 0;

  observe(event: TraceEvent): void {
    switch (event.type) {
      case 'run.started':
        for (const [name, spec] of Object.entries(event.groups)) {
          this.groupNamed(name).guarantee = spec.guarantee;
          for (const topic of spec.topics) this.groupsByTopic.set(topic, [...(this.groupsByTopic.get(topic) ?? []), name]);
        }
        for (const [name, producer] of Object.entries(event.producers ?? {})) if (!producer.idempotent) this.notIdempotent.add(name);
        return;
      case 'record.acked': {
        const earlier = this.acked.get(event.id);
        if (earlier === undefined) this.acked.set(event.id, { partition: event.partition, offset: event.offset });
        else if (!this.notIdempotent.has(event.producer)) this.duplicated.add(`id ${event.id} acknowledged twice: ${earlier.partition} offset ${earlier.offset} and ${event.partition} offset ${event.offset} (a duplicate in the log from an idempotent producer)`);
        return;
      }
      case 'offset.committed':
        this.groupNamed(event.group).committed.set(event.partition, event.offset);
        return;
      case 'record.processed':
        this.processed(event);
        return;
      default:
        return;
    }
  }

  /** Records processed for the first time in their group, summed over groups: what the lag is measured against. */
  uniqueProcessed(): number {
    return this.processedUnique;
  }

  /** Records (by group and id) processed more than once. */
  processedTwiceCount(): number {
    return this.processedTwice;
  }

  /** Lost records are only known at the end: call once, after the last event. */
  result(): Violation[] {
    for (const [id, record] of this.acked) {
      for (const name of this.groupsByTopic.get(topicOf(record.partition)) ?? []) {
        if (this.groups.get(name)?.processedBy.has(id) === true) continue;
        this.lost.add(`${name}: ${record.partition} offset ${record.offset} (id ${id}) acknowledged but never processed`);
      }
    }
    return [...this.lost.result(), ...this.duplicated.result()];
  }

  private processed(event: Extract<TraceEvent, { type: 'record.processed' }>): void {
    const group = this.groupNamed(event.group);
    const first = group.processedBy.get(event.id);
    if (first === undefined) {
      group.processedBy.set(event.id, event.member);
      this.processedUnique += 1;
      return;
    }
    if (!group.repeated.has(event.id)) {
      group.repeated.add(event.id);
      this.processedTwice += 1;
    }
    const where = `${event.group}: ${event.partition} offset ${event.offset} (id ${event.id}) processed again by ${event.member} (first by ${first})`;
    if (group.guarantee === 'exactly-once') {
      this.duplicated.add(`${where} under exactly-once`);
      return;
    }
    const committed = group.committed.get(event.partition);
    if (committed !== undefined && committed > event.offset) this.duplicated.add(`${where} although the group had committed offset ${committed}`);
  }

  private groupNamed(name: string): GroupRecords {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { guarantee: 'at-least-once', processedBy: new Map(), repeated: new Set(), committed: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }
}
