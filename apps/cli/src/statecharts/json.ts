/**
 * The JSON export: the machine's config as written (`machine.config`), the shape Stately's visualizer and
 * Studio import and `createMachine(JSON.parse(text))` accepts. Named actions, guards, delays and actors are
 * strings already and pass through. Functions are where `JSON.stringify` would lose things silently, so
 * each one is handled explicitly:
 * - the root `context` factory (initial context built from the actor's input at run time) is left out:
 *   it is data, not behaviour, and the diagram tools do not run it;
 * - higher-order guards (`not`, `and`, `or`, `stateIn`) are written as expressions (`!a`, `a && b`);
 * - any other function (an inline action, guard, delay or actor) is an InlineImplementationError naming
 *   its path, so the machine must name it in `setup()` before it can be exported.
 *
 * File shape: one JSON object, the config itself, with `id` first (XState puts it in every config kactor writes).
 */
import type { AnyStateMachine } from 'xstate';
import { InlineImplementationError } from './errors.js';
import { guardText } from './guards.js';

/** The exportable config; throws InlineImplementationError listing every inline function found. */
export function statelyConfig(machine: AnyStateMachine): Record<string, unknown> {
  const inline: string[] = [];
  const config = machine.config as Record<string, unknown>;
  const out: Record<string, unknown> = { id: machine.id };
  for (const [key, value] of Object.entries(config)) {
    if (key === 'id') continue;
    if (key === 'context' && typeof value === 'function') continue; // the input -> context factory, documented above
    out[key] = plain(value, key, inline);
  }
  if (inline.length > 0) throw new InlineImplementationError(machine.id, inline);
  return out;
}

/** The JSON text written to `<name>.json`: two-space indented, ending with a newline. */
export function statelyJson(machine: AnyStateMachine): string {
  return `${JSON.stringify(statelyConfig(machine), null, 2)}\n`;
}

/** A deep copy with only JSON values; functions become guard expressions or are reported in `inline`. */
function plain(value: unknown, path: string, inline: string[]): unknown {
  if (typeof value === 'function') {
    const guard = path.endsWith('.guard') ? guardText(value, 'code') : null;
    if (guard === null) inline.push(path);
    return guard;
  }
  if (Array.isArray(value)) return value.map((item, index) => plain(item, `${path}[${index}]`, inline));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = plain(item, `${path}.${key}`, inline);
    return out;
  }
  if (typeof value === 'symbol' || typeof value === 'bigint') inline.push(path);
  return value;
}
