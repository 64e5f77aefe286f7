/**
 * A small XML well-formedness check for tests of the SVG export (no XML parser among the dependencies):
 * every tag closes in order, exactly one root element, nothing but whitespace outside it. Returns the
 * root element's name; throws MalformedXmlError on the first problem.
 */
export class MalformedXmlError extends Error {
  override readonly name = 'MalformedXmlError';
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>|<!\[CDATA\[[\s\S]*?\]\]>|<\/?([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|[^<]+/g;

export function xmlRootElement(text: string): string {
  const open: string[] = [];
  let root: string | null = null;
  for (const match of text.matchAll(TOKEN)) {
    const [token, name, , selfClosing] = match;
    if (token === '<') throw new MalformedXmlError(`unparsable markup at ${match.index}: ${text.slice(match.index, match.index + 40)}`);
    if (name === undefined) {
      if (!token.startsWith('<') && open.length === 0 && token.trim() !== '') throw new MalformedXmlError(`text outside the root element at ${match.index}`);
      continue;
    }
    if (token.startsWith('</')) {
      if (open.pop() !== name) throw new MalformedXmlError(`</${name}> closes nothing open at ${match.index}`);
      continue;
    }
    if (open.length === 0) {
      if (root !== null) throw new MalformedXmlError(`a second root element <${name}> at ${match.index}`);
      root = name;
    }
    if (selfClosing !== '/') open.push(name);
  }
  if (open.length > 0) throw new MalformedXmlError(`unclosed <${open.join('>, <')}>`);
  if (root === null) throw new MalformedXmlError('no root element');
  return root;
}
