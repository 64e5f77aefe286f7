/**
 * How the CLI fails: a one-line message naming the problem (with Kafka's error name when it comes from the
 * cluster) and a non-zero exit code, never a stack trace (set KACTOR_DEBUG=1 to see one).
 */
import { KafkaProtocolError } from '@kactor/protocol';
import { CliError } from './cli-error.js';
import { exitAfterFlush } from './exit.js';

export { CliError, exitAfterFlush };

export function describeError(error: unknown): string {
  if (error instanceof KafkaProtocolError) return `${error.errorName}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function exitWithError(command: string, error: unknown): Promise<never> {
  process.stderr.write(`kactor ${command}: ${describeError(error)}\n`);
  if (process.env.KACTOR_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return exitAfterFlush(error instanceof CliError ? error.exitCode : 1);
}
