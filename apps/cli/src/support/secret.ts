/**
 * The shared secret every connection must present when one is configured: `--secret-file F` (its contents,
 * trimmed) or the environment variable KACTOR_SECRET. Neither set means no secret: brokers then rely on
 * binding to 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.js';

export function resolveSecret(secretFile: string | undefined): string | undefined {
  if (secretFile !== undefined) {
    let contents: string;
    try {
      contents = readFileSync(secretFile, 'utf8').trim();
    } catch (error) {
      throw new CliError(`cannot read the secret file ${secretFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (contents === '') throw new CliError(`the secret file ${secretFile} is empty`);
    return contents;
  }
  const fromEnvironment = process.env.KACTOR_SECRET;
  return fromEnvironment !== undefined && fromEnvironment !== '' ? fromEnvironment : undefined;
}
