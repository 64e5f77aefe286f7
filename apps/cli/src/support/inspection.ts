/**
 * `--inspect [URL]` for every kactor process: stream its actors' statecharts to an inspector relay.
 * With a URL, events go there. Without one, the process starts a relay on 127.0.0.1:9170 and prints how
 * to watch it; if that port is taken (another kactor process started the relay first), it streams to it.
 * Without --inspect nothing is started: no relay, no socket, and the actors get no inspect callback.
 * A connection that fails (nothing listening, a wrong path, a broker's port, a missing secret)
 * is said on stderr in one line, `inspection: cannot connect to ws://...: ...`, and retried quietly.
 * With the shared secret (--secret-file, KACTOR_SECRET), the process presents it to the relay or dashboard,
 * and a relay it starts asks for it (see packages/runtime/src/transport/inspection-access.ts).
 */
import {
  createInspection,
  inspectionOff,
  INSPECTION_RELAY_PORT_DEFAULT,
  startInspectionRelay,
  STATELY_INSPECTOR_URL,
  SystemClock,
  TransportError,
  type Inspection,
  type InspectionOptions,
  type InspectionRelay,
  type InspectionRelayOptions,
} from '@kactor/runtime';
import type { InspectOption } from './inspect-flag.js';

export { INSPECT_FLAG_HELP, parseInspectUrl, type InspectOption } from './inspect-flag.js';

export interface InspectionWiring {
  startRelay(options: InspectionRelayOptions): Promise<InspectionRelay>;
  createInspection(options: InspectionOptions): Inspection;
  /** Where the instructions go (stderr: stdout carries records and JSON). */
  print(line: string): void;
}

/** The real wiring: a relay and sockets on this machine, instructions on stderr. */
export const systemWiring: InspectionWiring = {
  startRelay: startInspectionRelay,
  createInspection,
  print: (line) => process.stderr.write(`${line}\n`),
};

/** How to watch a relay, said plainly: the viewer is Stately's web app, so the browser needs the internet. */
export function viewerInstructions(relay: { url: string; viewerUrl: string }): string[] {
  return [
    `Inspector relay on ${relay.url}; other processes join it with --inspect ${relay.url}.`,
    `To watch the statecharts, open ${relay.viewerUrl} in a browser on this machine: the page embeds the Stately Inspector`,
    `(${STATELY_INSPECTOR_URL}), so that browser needs the internet; the events themselves go no further than the page.`,
  ];
}

/** Starts (or joins) a relay for a bare --inspect; resolves to its URL. */
export async function ensureLocalRelay(wiring: InspectionWiring = systemWiring, secret?: string): Promise<{ url: string; relay: InspectionRelay | undefined }> {
  const host = '127.0.0.1';
  try {
    const relay = await wiring.startRelay({ host, port: INSPECTION_RELAY_PORT_DEFAULT, ...(secret === undefined ? {} : { secret }) });
    for (const line of viewerInstructions(relay)) wiring.print(line);
    return { url: relay.url, relay };
  } catch (error) {
    if (!(error instanceof TransportError) || error.code !== 'ADDRESS_IN_USE') throw error;
    const url = `ws://${host}:${INSPECTION_RELAY_PORT_DEFAULT}`;
    wiring.print(`Inspecting through the relay already on ${url} (open http://${host}:${INSPECTION_RELAY_PORT_DEFAULT} to watch).`);
    return { url, relay: undefined };
  }
}

/** The inspection of this process for its --inspect option; close() also stops a relay it started. */
export function startCliInspection(option: InspectOption, wiring: InspectionWiring = systemWiring, secret?: string): Inspection {
  if (option === undefined) return inspectionOff;
  // Reconnect timers must not keep a process alive whose relay is gone.
  const clock = new SystemClock({ unrefTimers: true });
  // Session ids are numbered per process; the pid keeps the processes on one relay apart (`4711/x:3`).
  const sessionPrefix = `${process.pid}/`;
  const connection = { sessionPrefix, ...(secret === undefined ? {} : { secret }), onConnectionError: (message: string) => wiring.print(`inspection: ${message}`) };
  if (typeof option === 'string') {
    wiring.print(`Inspecting: streaming statecharts to ${option}.`);
    return wiring.createInspection({ url: option, clock, ...connection });
  }
  const local = ensureLocalRelay(wiring, secret);
  const inspection = wiring.createInspection({ url: local.then((started) => started.url), clock, ...connection });
  local.catch((error: unknown) => wiring.print(`kactor: --inspect: ${error instanceof Error ? error.message : String(error)}; not inspecting.`));
  return {
    inspect: inspection.inspect,
    rename: inspection.rename,
    close: async () => {
      await inspection.close();
      const started = await local.catch(() => undefined);
      await started?.relay?.close();
    },
  };
}
