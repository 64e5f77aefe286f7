/**
 * What every client command shares: where the cluster is (--bootstrap-server, else KACTOR_BOOTSTRAP, else
 * ws://127.0.0.1:9100), the shared secret, and a quiet logger (warnings only unless the global --log-level says more).
 */
import { systemClientRuntime, type ClientRuntime } from '@kactor/client';
import type { Inspection } from '@kactor/runtime';
import type { ClientCommandOptions } from './client-flags.js';
import { startCliInspection } from './inspection.js';
import { actorLogger } from './logging.js';
import { bootstrapFrom } from './options.js';
import { resolveSecret } from './secret.js';

export { addClientOptions, type ClientCommandOptions } from './client-flags.js';

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
