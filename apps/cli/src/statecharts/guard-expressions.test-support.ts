/**
 * Test support: the way back from the JSON export's guard expressions (`!a`, `a && b`, `(a || b) && !c`)
 * to XState's `not`/`and`/`or` over the named guards, so a machine read from the JSON can run with its
 * `setup()` implementations: `createMachine(json).provide({ guards: { ...named, ...expressionGuards(json) } })`.
 * Kept out of the CLI's code, which needs no XState at run time.
 */
import { and, not, or } from 'xstate';

/** One expression as a guard; bounded by the length of the text (each step consumes a token). */
export function guardFromCode(text: string): unknown {
  const tokens = text.match(/!|&&|\|\||\(|\)|[^\s!&|()]+/g) ?? [];
  let at = 0;
  const fail = (): never => {
    throw new GuardExpressionError(text);
  };
  const primary = (): unknown => {
    const token = tokens[at++] ?? fail();
    if (token === '!') return not(primary() as never);
    if (token === '(') {
      const inner = disjunction();
      if (tokens[at++] !== ')') fail();
      return inner;
    }
    if (token === ')' || token === '&&' || token === '||') fail();
    return token;
  };
  const conjunction = (): unknown => {
    const parts = [primary()];
    while (tokens[at] === '&&' && ++at) parts.push(primary());
    return parts.length === 1 ? parts[0] : and(parts as never);
  };
  const disjunction = (): unknown => {
    const parts = [conjunction()];
    while (tokens[at] === '||' && ++at) parts.push(conjunction());
    return parts.length === 1 ? parts[0] : or(parts as never);
  };
  const guard = disjunction();
  if (at !== tokens.length) fail();
  return guard;
}

/** Implementations for every guard expression (`!a`, `a && b`) in an exported JSON config, keyed by its text. */
export function expressionGuards(config: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (value: unknown, key: string): void => {
    if (key === 'guard' && typeof value === 'string' && /[!&|()]/.test(value)) out[value] = guardFromCode(value);
    else if (Array.isArray(value)) value.forEach((item) => visit(item, ''));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(config, '');
  return out;
}

/** A guard expression in the JSON export that does not parse (hand-edited, or a bug in guardText). */
export class GuardExpressionError extends Error {
  override readonly name = 'GuardExpressionError';
  constructor(readonly expression: string) {
    super(`cannot read guard expression ${JSON.stringify(expression)}: expected names joined by !, &&, || and parentheses`);
  }
}
