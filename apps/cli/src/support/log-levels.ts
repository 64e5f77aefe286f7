/**
 * The levels the global --log-level and KACTOR_LOG_LEVEL take, apart from the loggers (logging.ts) so that
 * the command line can check the flag without loading pino or the runtime.
 */
import { InvalidArgumentError } from 'commander';

/** pino's levels, the values --log-level and KACTOR_LOG_LEVEL take. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (logLevels as readonly string[]).includes(value);
}

/** commander's parser for the global --log-level. */
export function logLevelOption(value: string): LogLevel {
  const level = value.trim().toLowerCase();
  if (!isLogLevel(level)) throw new InvalidArgumentError(`--log-level takes one of ${logLevels.join(', ')}, got "${value}"`);
  return level;
}
