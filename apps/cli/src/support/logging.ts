/**
 * The CLI's logs: pretty, on stderr (stdout carries data such as --json records), at `info` unless
 * --log-level or KACTOR_LOG_LEVEL says otherwise.
 */
import { createLogger, type Logger } from '@kactor/runtime';
import pretty from 'pino-pretty';
import { errorPrettifiers } from './log-errors.js';

export function cliLogger(level: string | undefined, defaultLevel = 'info', base: Record<string, unknown> = {}): Logger {
  const effectiveLevel = level ?? process.env.KACTOR_LOG_LEVEL ?? defaultLevel;
  const destination = pretty({
    destination: 2,
    colorize: process.stderr.isTTY === true,
    translateTime: 'HH:MM:ss.l',
    // One line per entry, led by who wrote it: "[broker-1 controller] broker registered {...}".
    singleLine: true,
    messageFormat: '[{node}{if actor} {actor}{end}] {msg}',
    ignore: 'pid,hostname,node,actor',
    // An error object on one line, no stack trace, unless the level asks for details.
    customPrettifiers: errorPrettifiers(effectiveLevel),
    sync: true,
  });
  return createLogger({ level: effectiveLevel as 'info', destination, base });
}
