/**
 * What every client command shares: where the cluster is (--bootstrap-server, else KACTOR_BOOTSTRAP, else
 * ws://127.0.0.1:9100), the shared secret, and a quiet logger (warnings only unless the global --log-level says more).
 */
import { systemClientRuntime, type ClientRuntime } from '@kactor/client';
import type { Inspection } from '@kactor/runtime';
import type { Command } from 'commander';
import { startCliInspection, type InspectOption } from './inspection.js';
import { actorLogger } from './logging.js';
import { bootstrapFrom, defaultBootstrap, parseBootstrap } from './options.js';
import { resolveSecret } from './secret.js';

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

export function clientSetup(options: ClientCommandOptions): { bootstrapServers: string; runtime: ClientRuntime; inspection: Inspection } {
  const secret = resolveSecret(options.secretFile);
  const inspection = startCliInspection(options.inspect, undefined, secret);
  return {
    bootstrapServers: bootstrapFrom(options.bootstrapServer).join(','),
    runtime: systemClientRuntime({
      secret,
      logger: actorLogger({ node: 'client' }),
      inspect: inspection.inspect,
      renameInspectedActor: inspection.rename,
    }),
    inspection,
  };
}
