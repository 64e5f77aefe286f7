/**
 * Defaults and limits of the transports. Each has a reason; the RPC layer and the CLI override them from
 * Kafka's configs where Kafka has one.
 */

/**
 * How long a connect may take, handshake included: Kafka's `socket.connection.setup.timeout.ms`
 * default (10 s). Long enough for a loaded machine, short enough that a client retries another node.
 */
export const CONNECT_TIMEOUT_MS_DEFAULT = 10_000;

/**
 * Hard cap on an incoming frame when the caller names none: twice Kafka's `socket.request.max.bytes`
 * default (100 MiB), as the architecture sets the hard cap. Frames between the two limits reach the RPC
 * layer, which answers MESSAGE_TOO_LARGE; frames above it close the connection so memory stays bounded.
 */
export const MAX_FRAME_BYTES_HARD_DEFAULT = 2 * 104_857_600;

/**
 * How long closing a listener waits for its connections' closing handshakes before cutting them. Peers
 * on a healthy network answer within milliseconds; a stuck one must not stall a broker's shutdown.
 */
export const LISTENER_CLOSE_GRACE_MS = 1_000;

/** A frame limit must be a positive whole number of bytes: ws reads 0 as "no limit at all". */
export function assertFrameLimit(maxFrameBytesHard: number, what: string): void {
  if (!Number.isSafeInteger(maxFrameBytesHard) || maxFrameBytesHard <= 0) {
    throw new RangeError(`${what} must be a positive whole number of bytes, got ${maxFrameBytesHard}`);
  }
}

/** WebSocket close codes used by the transports (RFC 6455, section 7.4.1). */
export const CloseCode = {
  NORMAL: 1000,
  /** The node is going away: its listener is closing. */
  GOING_AWAY: 1001,
  /** Text frames: kactor speaks binary frames only. */
  UNSUPPORTED_DATA: 1003,
  /** The connection ended without a close frame (never sent, only reported). */
  ABNORMAL: 1006,
  /** A frame above the hard cap. */
  MESSAGE_TOO_BIG: 1009,
} as const;

/** A close frame's reason is limited to 123 bytes of UTF-8 (125 bytes of payload minus the code). */
export const CLOSE_REASON_BYTES_MAX = 123;

/** Codes an endpoint may put in a close frame: 1000-1003, 1007-1014 and 3000-4999 (ws refuses the rest). */
export function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999))
  );
}

export function assertSendableCloseCode(code: number): void {
  if (!isSendableCloseCode(code)) {
    throw new RangeError(`close code ${code} cannot be sent: use 1000-1003, 1007-1014 or 3000-4999`);
  }
}

/** Cuts a close reason to what a close frame can carry, never splitting a character. */
export function truncateCloseReason(reason: string): string {
  const encoded = Buffer.from(reason, 'utf8');
  if (encoded.byteLength <= CLOSE_REASON_BYTES_MAX) return reason;
  let end = CLOSE_REASON_BYTES_MAX;
  while (end > 0 && ((encoded[end] as number) & 0xc0) === 0x80) end -= 1; // step back off a continuation byte
  return encoded.subarray(0, end).toString('utf8');
}

/**
 * The response header a kactor node (broker, controller) adds to its WebSocket handshake, so an inspecting
 * process pointed at a broker's port by mistake can tell it apart from a relay it does not know.
 */
export const NODE_ENDPOINT_HEADER = 'x-kactor-node';
