/**
 * The CLI's logs: pretty, on stderr (stdout carries data such as --json records and the `bootstrap:` line).
 *
 * Quiet by default, in two voices: the command's own account of what it does for the user (a cluster or a
 * broker running, stopping, a broker that died) at `info`, and the actors' logs (controller, partitions,
 * group coordinator shards, clients) at `warn`, so a terminal shows what needs the user's attention and not
 * one line per partition. The global `--log-level LEVEL` (or KACTOR_LOG_LEVEL, which brokers started by
 * `cluster up` inherit) sets both: `--log-level debug` shows every actor's details.
 */
import { createLogger, type Logger } from '@kactor/runtime';
import pretty from 'pino-pretty';
import { errorPrettifiers } from './log-errors.js';
import { isLogLevel, type LogLevel } from './log-levels.js';

export { isLogLevel, logLevelOption, logLevels, type LogLevel } from './log-levels.js';

/** The default level of what the command itself says (cluster up, URLs, broker deaths, errors). */
export const defaultCommandLogLevel: LogLevel = 'info';
/** The default level of the actors' own logs (per partition, per group, per member: details). */
export const defaultActorLogLevel: LogLevel = 'warn';

/** The level the user asked for: the global --log-level (kept in KACTOR_LOG_LEVEL by main.ts), else none. */
export function requestedLogLevel(): LogLevel | undefined {
  const fromEnvironment = process.env.KACTOR_LOG_LEVEL?.trim().toLowerCase();
  return fromEnvironment !== undefined && isLogLevel(fromEnvironment) ? fromEnvironment : undefined;
}

function prettyLogger(level: LogLevel, base: Record<string, unknown>): Logger {
  const destination = pretty({
    destination: 2,
    colorize: process.stderr.isTTY === true,
    translateTime: 'HH:MM:ss.l',
    // One line per entry, led by who wrote it: "[broker-1 controller] broker registered {...}".
    singleLine: true,
    messageFormat: '[{node}{if actor} {actor}{end}] {msg}',
    ignore: 'pid,hostname,node,actor',
    // An error object on one line, no stack trace, unless the level asks for details.
    customPrettifiers: errorPrettifiers(level),
    sync: true,
  });
  return createLogger({ level, destination, base });
}

/** What the command itself tells the user: `info` unless a level was asked for. */
export function cliLogger(base: Record<string, unknown> = {}): Logger {
  return prettyLogger(requestedLogLevel() ?? defaultCommandLogLevel, base);
}

/** The logger handed to actors (broker node, log store, clients): `warn` unless a level was asked for. */
export function actorLogger(base: Record<string, unknown> = {}): Logger {
  return prettyLogger(requestedLogLevel() ?? defaultActorLogLevel, base);
}
