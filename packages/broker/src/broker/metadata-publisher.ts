/**
 * A KRaft broker's metadata image, built from the committed `__cluster_metadata` records its Raft observer reports
 * (Kafka's MetadataLoader and MetadataPublisher). The records are replayed with the controller's own `replay`
 * (controller/metadata-state.ts), so a broker's image is exactly what the active controller would have pushed at
 * the same offset: one replay, not two that could drift apart.
 *
 * The image reflects the log up to `metadataOffset = highWatermark - 1` (control records, such as the leader's
 * LeaderChangeMessage, count as applied: they change nothing) and names the Raft leader as controller (-1 while
 * no leader is known). A new image is published to the listeners after each apply or controller change that
 * changes either; the broker actor applies it as `metadata.published`, and reports its offset in heartbeats.
 */
import type { MetadataImage } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';
import type { MetadataRecord } from '../controller/metadata-records.js';
import { emptyControllerState, replayAll, toMetadataImage, type ControllerState } from '../controller/metadata-state.js';

export interface MetadataPublisherOptions {
  clusterId: string;
  logger: Logger;
}

/** A broken promise of the committed-record stream (offsets went back, or a record past the high watermark). */
export class MetadataPublisherInvariantError extends Error {
  override readonly name = 'MetadataPublisherInvariantError';
}

export class MetadataPublisher {
  private state: ControllerState;
  /** The committed high watermark last applied; 0 until the first apply (nothing of the log known). */
  private highWatermark = 0;
  private controllerId = -1;
  private published: MetadataImage | null = null;
  private readonly listeners = new Set<(image: MetadataImage) => void>();

  constructor(private readonly options: MetadataPublisherOptions) {
    this.state = emptyControllerState(options.clusterId);
  }

  /**
   * Replays committed records (in log order) and publishes the image at `highWatermark - 1`. Records at or below
   * the last one applied are skipped, so a batch delivered twice is applied once.
   */
  apply(records: ReadonlyArray<{ offset: number; record: MetadataRecord }>, highWatermark: number): void {
    if (!Number.isSafeInteger(highWatermark) || highWatermark < this.highWatermark) {
      throw new MetadataPublisherInvariantError(`the metadata high watermark went back: ${highWatermark} after ${this.highWatermark}`);
    }
    const fresh = records.filter(({ offset }) => offset > this.state.metadataOffset);
    const beyond = fresh.find(({ offset }) => offset >= highWatermark);
    if (beyond !== undefined) {
      throw new MetadataPublisherInvariantError(`metadata record at offset ${beyond.offset} is not committed (high watermark ${highWatermark})`);
    }
    if (fresh.length < records.length) this.options.logger.debug({ skipped: records.length - fresh.length }, 'metadata records already applied were skipped');
    this.state = replayAll(this.state, fresh);
    this.highWatermark = highWatermark;
    this.publishIfChanged();
  }

  /** The committed state and the offset it covers up to (exclusive): what a snapshot of this node holds (KIP-630). */
  committed(): { state: ControllerState; endOffset: number } {
    return { state: this.state, endOffset: this.highWatermark };
  }

  /**
   * Replaces the state with a snapshot's (KIP-630): at start, or once a snapshot fetched from the leader is installed.
   * The image never goes back: a snapshot older than what was applied is refused.
   */
  loadSnapshot(state: ControllerState, endOffset: number): void {
    if (!Number.isSafeInteger(endOffset) || endOffset < this.highWatermark) {
      throw new MetadataPublisherInvariantError(`a snapshot ending at ${endOffset} is older than the high watermark ${this.highWatermark} already applied`);
    }
    if (state.metadataOffset !== endOffset - 1) throw new MetadataPublisherInvariantError(`a snapshot ending at ${endOffset} holds a state at offset ${state.metadataOffset}`);
    this.state = state;
    this.highWatermark = endOffset;
    this.options.logger.info({ endOffset }, 'loaded a metadata snapshot');
    this.publishIfChanged();
  }

  /** The Raft leader changed: the image names it as controller (undefined: no leader known, -1). */
  setController(leaderId: number | undefined): void {
    this.controllerId = leaderId ?? -1;
    if (this.published !== null) this.publishIfChanged();
  }

  /** The last published image; null before the first committed batch. */
  image(): MetadataImage | null {
    return this.published;
  }

  /** Calls `listener` with every image published from now on; returns a function that stops it. */
  onImage(listener: (image: MetadataImage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publishIfChanged(): void {
    const metadataOffset = this.highWatermark - 1;
    const previous = this.published;
    if (previous !== null && previous.metadataOffset === metadataOffset && previous.controllerId === this.controllerId) return;
    // Invariant (rule 8): a broker never sees the metadata go back, or it would undo topics and leaders it served.
    if (previous !== null && metadataOffset < previous.metadataOffset) {
      throw new MetadataPublisherInvariantError(`a metadata image went back: offset ${metadataOffset} after ${previous.metadataOffset}`);
    }
    const image: MetadataImage = { ...toMetadataImage(this.state, this.controllerId), metadataOffset };
    this.published = image;
    this.options.logger.debug({ metadataOffset, controllerId: this.controllerId }, 'metadata image published');
    for (const listener of [...this.listeners]) listener(image);
  }
}
