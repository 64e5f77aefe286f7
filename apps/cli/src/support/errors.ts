/**
 * How the CLI fails: a one-line message naming the problem (with Kafka's error name when it comes from the
 * cluster) and a non-zero exit code, never a stack trace (set KACTOR_DEBUG=1 to see one).
 */
import { KafkaProtocolError } from '@kactor/protocol';
import { CliError } from './cli-error.js';

export { CliError };

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

/** Exits once stdout and stderr have drained: a pipe may still hold output that process.exit would drop. */
export async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((done) => stream.write('', () => done()))));
  process.exit(code);
}
