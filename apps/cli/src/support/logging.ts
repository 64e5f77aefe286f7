/**
 * The CLI's logs: pretty, on stderr (stdout carries data such as --json records), at `info` unless
 * --log-level or KACTOR_LOG_LEVEL says otherwise.
 */
import { createLogger, type Logger } from '@kactor/runtime';
import pretty from 'pino-pretty';

export function cliLogger(level: string | undefined, defaultLevel = 'info', base: Record<string, unknown> = {}): Logger {
  const destination = pretty({
    destination: 2,
    colorize: process.stderr.isTTY === true,
    translateTime: 'HH:MM:ss.l',
    // One line per entry, led by who wrote it: "[broker-1 controller] broker registered {...}".
    singleLine: true,
    messageFormat: '[{node}{if actor} {actor}{end}] {msg}',
    ignore: 'pid,hostname,node,actor',
    sync: true,
  });
  return createLogger({ level: (level ?? process.env.KACTOR_LOG_LEVEL ?? defaultLevel) as 'info', destination, base });
}
