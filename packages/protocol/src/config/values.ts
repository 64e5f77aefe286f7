import { ConfigValueProblem, type HostPort, type ListenerEndpoint } from './types.js';

/**
 * Java's Long.MAX_VALUE (2^63-1) cannot be a JavaScript number exactly. Kafka uses it as "never"
 * (`flush.messages`, `flush.ms`, `log.flush.scheduler.interval.ms`), so kactor holds it, and any long
 * above 2^53-1, as `Number.MAX_SAFE_INTEGER`: still "never" for milliseconds (285,000 years) and bytes.
 */
export const LONG_MAX_VALUE = Number.MAX_SAFE_INTEGER;
/** Java's Long.MIN_VALUE, held the same way as `LONG_MAX_VALUE`. */
export const LONG_MIN_VALUE = -Number.MAX_SAFE_INTEGER;
/** Java's Integer.MAX_VALUE, exact. */
export const INT_MAX_VALUE = 2_147_483_647;
export const INT_MIN_VALUE = -2_147_483_648;
export const SHORT_MAX_VALUE = 32_767;
export const SHORT_MIN_VALUE = -32_768;

export type IntegerWidth = 'short' | 'int' | 'long';

const integerPattern = /^[+-]?\d+$/;
const javaLongMax = 2n ** 63n - 1n;
const javaLongMin = -(2n ** 63n);

/**
 * Parses like Java's `Integer.parseInt` / `Long.parseLong` after Kafka's trim: optional sign, decimal
 * digits, nothing else (no `1e3`, `0x10`, `1_000`, `5.0`), within the width's range. Longs beyond
 * ±(2^53-1) are clamped (see `LONG_MAX_VALUE`).
 */
export function parseInteger(raw: string, width: IntegerWidth): number {
  const text = raw.trim();
  if (!integerPattern.test(text)) throw new ConfigValueProblem(`not a whole number`);
  const value = BigInt(text);
  const [min, max] = width === 'short' ? [BigInt(SHORT_MIN_VALUE), BigInt(SHORT_MAX_VALUE)] : width === 'int' ? [BigInt(INT_MIN_VALUE), BigInt(INT_MAX_VALUE)] : [javaLongMin, javaLongMax];
  if (value < min || value > max) throw new ConfigValueProblem(`does not fit a ${widthLabel(width)}`);
  if (value > BigInt(LONG_MAX_VALUE)) return LONG_MAX_VALUE;
  if (value < BigInt(LONG_MIN_VALUE)) return LONG_MIN_VALUE;
  return Number(value);
}

export function widthLabel(width: IntegerWidth): string {
  return width === 'short' ? '16-bit integer' : width === 'int' ? '32-bit integer' : '64-bit integer';
}

/** Kafka's BOOLEAN: `true` or `false`, any case, after trimming. */
export function parseBoolean(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ConfigValueProblem('not true or false');
}

/** Kafka's LIST: trimmed; empty means the empty list; otherwise split at commas with the spaces around them. */
export function splitList(raw: string): string[] {
  const text = raw.trim();
  return text === '' ? [] : text.split(/\s*,\s*/);
}

const hostPortPattern = /^(?:\[([^\]\s]+)\]|([^:/\s[\]]+)):(\d{1,5})$/;
const listenerPattern = /^([A-Za-z0-9_]+):\/\/(?:\[([^\]\s]+)\]|([^:/\s[\]]*)):(\d{1,5})$/;

function parsePort(text: string, allowZero: boolean): number {
  const port = Number(text);
  if (port > 65535 || (!allowZero && port === 0)) throw new ConfigValueProblem(`port ${text} is out of range`);
  return port;
}

/** `host:port` or `[ipv6]:port`, as in `bootstrap.servers`. */
export function parseHostPort(raw: string): HostPort {
  const match = hostPortPattern.exec(raw.trim());
  if (match === null) throw new ConfigValueProblem(`"${raw}" is not host:port`);
  const [, ipv6, host, port] = match;
  return { host: ipv6 ?? host ?? '', port: parsePort(port ?? '', false) };
}

export function formatHostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** `NAME://host:port` as in Kafka's `listeners`; the host may be empty (all interfaces), port 0 picks a free one. */
export function parseListener(raw: string): ListenerEndpoint {
  const match = listenerPattern.exec(raw.trim());
  if (match === null) throw new ConfigValueProblem(`"${raw}" is not NAME://host:port`);
  const [, listenerName, ipv6, host, port] = match;
  return { listenerName: listenerName ?? '', host: ipv6 ?? host ?? '', port: parsePort(port ?? '', true) };
}

export function formatListener({ listenerName, host, port }: ListenerEndpoint): string {
  return `${listenerName}://${formatHostPort({ host, port })}`;
}

/** Renders a number the way Kafka's docs would, naming Java's sentinels. */
export function formatNumber(value: number, width: IntegerWidth): string {
  if (width === 'long' && value === LONG_MAX_VALUE) return '9223372036854775807';
  if (width === 'long' && value === LONG_MIN_VALUE) return '-9223372036854775808';
  return String(value);
}
