/**
 * How the CLI fails: a one-line message naming the problem (with Kafka's error name when it comes from the
 * cluster) and a non-zero exit code, never a stack trace (set KACTOR_DEBUG=1 to see one).
 */
import { KafkaProtocolError } from '@kactor/protocol';

/** A failure the user can act on; its message is printed as is. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof KafkaProtocolError) return `${error.errorName}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function exitWithError(command: string, error: unknown): never {
  process.stderr.write(`kactor ${command}: ${describeError(error)}\n`);
  if (process.env.KACTOR_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}
