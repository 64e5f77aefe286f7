import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Clock } from '../clock/clock.js';

export type { DestinationStream, Logger } from 'pino';

/** The environment variable that sets the level when the caller does not (`debug` to see actor logs). */
export const LOG_LEVEL_ENV = 'KACTOR_LOG_LEVEL';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CreateLoggerOptions {
  /** Default: `$KACTOR_LOG_LEVEL`, else `silent`, so libraries and tests stay quiet unless asked. */
  level?: LogLevel | undefined;
  /**
   * Where JSON lines go; stdout when omitted. The CLI passes a pino-pretty stream here: pretty
   * printing is a presentation concern and its dependency belongs to the CLI, not to every node.
   */
  destination?: DestinationStream | undefined;
  /** Fields on every line. None by default, so that simulated runs log the same bytes every time. */
  base?: Record<string, unknown> | undefined;
  /**
   * Stamps lines with this clock's time instead of the wall clock, so a simulation's logs carry
   * simulated time and line up with its trace.
   */
  clock?: Clock | undefined;
}

/**
 * The root logger of a process or simulation. Actors log through `actorLogger` children so each line
 * says which node and actor wrote it.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const clock = options.clock;
  const pinoOptions: LoggerOptions = {
    level: options.level ?? levelFromEnvironment() ?? 'silent',
    base: options.base ?? null,
    ...(clock === undefined ? {} : { timestamp: () => `,"time":${clock.now()}` }),
  };
  return options.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, options.destination);
}

/** What identifies an actor in the logs; absent fields are left out of the line. */
export interface ActorLogBindings {
  node?: string | number | undefined;
  actor: string;
  groupId?: string | undefined;
  memberId?: string | undefined;
  generation?: number | undefined;
}

/** A child logger whose every line carries the actor's identity. */
export function actorLogger(parent: Logger, bindings: ActorLogBindings): Logger {
  const present = Object.fromEntries(Object.entries(bindings).filter(([, value]) => value !== undefined));
  return parent.child(present);
}

function levelFromEnvironment(): LogLevel | undefined {
  const value = process.env[LOG_LEVEL_ENV];
  if (value === undefined || value === '') return undefined;
  const level = value.trim().toLowerCase();
  if (!isLogLevel(level)) {
    throw new Error(`${LOG_LEVEL_ENV} must be one of ${LOG_LEVELS.join(', ')}; got "${value}"`);
  }
  return level;
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
