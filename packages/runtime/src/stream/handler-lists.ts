/** The handlers a byte-stream connection calls, shared by the TCP and in-memory ends. */
export class StreamHandlers {
  readonly data: Array<(bytes: Uint8Array) => void> = [];
  readonly drain: Array<() => void> = [];
  readonly close: Array<(reason: string) => void> = [];
  private closed = false;

  emitData(bytes: Uint8Array): void {
    for (const handler of this.data) handler(bytes);
  }

  emitDrain(): void {
    for (const handler of this.drain) handler();
  }

  /** Runs the close handlers once, whatever closes the connection first. */
  emitClose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const handler of this.close) handler(reason);
  }
}
