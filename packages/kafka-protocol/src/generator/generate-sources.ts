/**
 * The whole generator as a pure function: spec texts in, generated module texts out (paths relative to
 * `src/generated/`). `scripts/generate.ts` writes them; `generated.test.ts` checks the committed copies.
 */
import type { MessageSchema } from '../schema.js';
import { emitModule, GENERATED_BANNER, interfaceName, kebabCase, messageSchemaName } from './emit.js';
import { parseSpec } from './parse-spec.js';

interface ApiPair {
  readonly name: string;
  readonly request: MessageSchema;
  readonly response: MessageSchema;
}

function pairApis(messages: readonly MessageSchema[]): ApiPair[] {
  const requests = messages.filter((message) => message.type === 'request');
  return requests
    .map((request) => {
      const name = request.name.replace(/Request$/, '');
      const response = messages.find((message) => message.name === `${name}Response`);
      if (response === undefined) throw new Error(`${request.name} has no response spec`);
      if (response.apiKey !== request.apiKey) throw new Error(`${name}: request and response api keys differ`);
      return { name, request, response };
    })
    .sort((left, right) => left.request.apiKey! - right.request.apiKey!);
}

function emitIndex(apis: readonly ApiPair[]): string {
  const lines = [GENERATED_BANNER.trimEnd()];
  for (const api of apis) {
    const names = [interfaceName(api.request, api.request.struct), interfaceName(api.response, api.response.struct)];
    const schemas = [messageSchemaName(api.request), messageSchemaName(api.response)];
    lines.push(`import { ${schemas.join(', ')}, type ${names.join(', type ')} } from './${kebabCase(api.name)}.js';`);
  }
  lines.push("export * from './headers.js';");
  for (const api of apis) lines.push(`export * from './${kebabCase(api.name)}.js';`);
  lines.push('', '/** Every API this package encodes, by Kafka\'s name: its key and the request and response schemas. */');
  lines.push('export const kafkaApis = {');
  for (const api of apis) {
    lines.push(
      `  ${api.name}: { apiKey: ${api.request.apiKey}, request: ${messageSchemaName(api.request)}, response: ${messageSchemaName(api.response)} },`,
    );
  }
  lines.push('} as const;', '', '/** Request bodies by API name. */', 'export interface KafkaRequestBodies {');
  for (const api of apis) lines.push(`  ${api.name}: ${interfaceName(api.request, api.request.struct)};`);
  lines.push('}', '', '/** Response bodies by API name. */', 'export interface KafkaResponseBodies {');
  for (const api of apis) lines.push(`  ${api.name}: ${interfaceName(api.response, api.response.struct)};`);
  lines.push('}', '');
  return lines.join('\n');
}

/** `specs` maps each spec's file name (`ProduceRequest.json`) to its text. */
export function generateSources(specs: ReadonlyMap<string, string>): Map<string, string> {
  const messages = [...specs.entries()]
    .filter(([fileName]) => fileName.endsWith('.json'))
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([, text]) => parseSpec(text));
  const headers = messages.filter((message) => message.type === 'header').sort((left, right) => left.name.localeCompare(right.name));
  const apis = pairApis(messages);
  const files = new Map<string, string>();
  files.set('headers.ts', emitModule(headers));
  for (const api of apis) files.set(`${kebabCase(api.name)}.ts`, emitModule([api.request, api.response]));
  files.set('index.ts', emitIndex(apis));
  return files;
}
