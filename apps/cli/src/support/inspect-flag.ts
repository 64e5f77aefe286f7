/**
 * The `--inspect [URL]` flag itself: its help and its parser, apart from inspection.ts (which starts relays
 * and connections) so that a command's flags and help load without the runtime.
 */
import { InvalidArgumentError } from 'commander';

export type InspectOption = string | true | undefined;

/**
 * The port of the relay a bare --inspect starts or joins: the runtime's INSPECTION_RELAY_PORT_DEFAULT,
 * repeated here for the flag's help (inspect-flag.test.ts keeps the two equal).
 */
export const INSPECT_RELAY_PORT = 9170;

export const INSPECT_FLAG_HELP = `stream this process's statecharts to an inspector relay at URL (ws://...); without URL, start one on 127.0.0.1:${INSPECT_RELAY_PORT} (or join the one already there)`;

export function parseInspectUrl(value: string): string {
  if (!/^wss?:\/\/[^/\s]+/.test(value)) throw new InvalidArgumentError(`--inspect takes a relay URL such as ws://127.0.0.1:${INSPECT_RELAY_PORT}, got "${value}".`);
  return value;
}
