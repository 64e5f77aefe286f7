/**
 * The flags every client command shares (--bootstrap-server, --secret-file), apart from client-options.ts
 * (which builds the client runtime) so that a command's flags and help load without @kactor/client.
 */
import type { Command } from 'commander';
import type { InspectOption } from './inspect-flag.js';
import { defaultBootstrap, parseBootstrap } from './options.js';

export interface ClientCommandOptions {
  bootstrapServer?: string[];
  secretFile?: string;
  /** Only on commands that run actors (consume, produce): `--inspect [URL]`, see support/inspection.ts. */
  inspect?: InspectOption;
}

export function addClientOptions(command: Command): Command {
  return command
    .option('--bootstrap-server <URL[,URL...]>', `brokers to bootstrap from (default: $KACTOR_BOOTSTRAP, else ${defaultBootstrap})`, parseBootstrap)
    .option('--secret-file <F>', 'present the secret in this file when connecting (or set KACTOR_SECRET)');
}
