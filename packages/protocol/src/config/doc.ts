import { configDefinition } from './registry.js';
import { configScopes, type ConfigKeyDef, type ConfigScope } from './types.js';
import { INT_MAX_VALUE, LONG_MAX_VALUE } from './values.js';

/**
 * Renders docs/CONFIGURATION.md from the declarations, so the reference can never drift from the code.
 * `scripts/gen-config-doc.ts` writes it; a test fails when the committed file differs.
 */
export function renderConfigurationDoc(): string {
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from packages/protocol/src/config by scripts/gen-config-doc.ts. Do not edit by hand:',
    '     change the declarations and run `node_modules/.bin/tsx scripts/gen-config-doc.ts`. -->',
    '',
    'Every setting kactor honours carries Apache Kafka\'s name and Kafka 4.0\'s default. Settings are given',
    'as Kafka writes them (`linger.ms=20`, in a CLI flag such as `--producer-property linger.ms=20` or in',
    'code as `{ \'linger.ms\': 20 }`) and come back typed, under the camelCase of the Kafka name',
    '(`session.timeout.ms` → `sessionTimeoutMs`), from `parseConfig(scope, entries)` in `@kactor/protocol`.',
    '',
    'Parsing follows Kafka\'s rules: values are trimmed; integers are plain decimal numbers within the',
    'type\'s width (int 32-bit, long 64-bit, short 16-bit); booleans are `true`/`false` in any case; lists',
    'are comma-separated; enums are case-sensitive. Unlike Kafka, an unknown name is an error (with the',
    'closest names suggested) rather than a warning.',
    '',
    '- **Long.MAX_VALUE.** Kafka uses 2^63-1 to mean "never" (e.g. `flush.ms`). A JavaScript number cannot',
    '  hold it exactly, so kactor keeps it, and any long above 2^53-1, as `Number.MAX_SAFE_INTEGER`',
    '  (about 285,000 years in milliseconds), and prints it back as 9223372036854775807.',
    '- **Not implemented yet.** Declared so that names and defaults are fixed, but kactor does not do it',
    '  yet: setting it is rejected with `UnsupportedConfigError` (unless the value is what kactor',
    '  effectively does, shown as "kactor behaves as").',
    '- **Not enforced yet.** Accepted and stored, but it has no effect yet.',
    '',
    '| scope | Kafka class | settings |',
    '|---|---|---|',
    ...configScopes.map((scope) => `| [${scope}](#${scope}) | ${kafkaClass[scope]} | ${configDefinition(scope).defs.length} |`),
  ];
  for (const scope of configScopes) lines.push('', ...renderScope(scope));
  return `${lines.join('\n')}\n`;
}

const kafkaClass: Readonly<Record<ConfigScope, string>> = {
  broker: '`KafkaConfig` (server)',
  topic: '`TopicConfig` / `LogConfig`',
  producer: '`ProducerConfig`',
  consumer: '`ConsumerConfig`',
  admin: '`AdminClientConfig`',
};

const scopeIntro: Readonly<Record<ConfigScope, string>> = {
  broker: 'A broker node, typed as `BrokerConfig`.',
  topic:
    'Per-topic settings, typed as `TopicConfig`. Each defaults to the broker setting shown (Kafka\'s synonym): ' +
    '`parseConfig(\'topic\', overrides, { defaults: topicDefaults(brokerConfig) })`. The log settings use the field ' +
    'names of storage\'s `LogConfig`.',
  producer: 'A producer, typed as `ProducerConfig`.',
  consumer: 'A consumer, typed as `ConsumerConfig`.',
  admin: 'An admin client, typed as `AdminConfig`.',
};

function renderScope(scope: ConfigScope): string[] {
  const lines = [`## ${scope}`, '', scopeIntro[scope], '', '| name | type | default | accepted | description |', '|---|---|---|---|---|'];
  for (const def of configDefinition(scope).defs) lines.push(renderRow(def));
  return lines;
}

function renderRow(def: ConfigKeyDef<unknown>): string {
  const name = `\`${def.name}\`<br>\`${def.key}\``;
  const type = def.unit === undefined ? def.type : `${def.type} (${def.unit})`;
  const description = [def.doc];
  if (def.brokerSynonym !== undefined) description.push(`Broker default: \`${def.brokerSynonym}\`.`);
  if (!def.implemented) {
    const behaves = def.effectiveValue === undefined ? '' : ` kactor behaves as \`${def.format(def.effectiveValue)}\`.`;
    description.push(`**Not implemented yet.**${behaves}`);
  } else if (!def.enforced) {
    description.push('**Not enforced yet.**');
  }
  if (def.notImplementedValues !== undefined) description.push(`**Not implemented yet:** ${def.notImplementedValues.map((value) => `\`${value}\``).join(', ')}.`);
  if (def.note !== undefined) description.push(def.note);
  return `| ${name} | ${type} | ${renderDefault(def)} | ${escapeCell(def.expected)} | ${escapeCell(description.join(' '))} |`;
}

function renderDefault(def: ConfigKeyDef<unknown>): string {
  switch (def.default.kind) {
    case 'required':
      return '(required)';
    case 'derived':
      return `(null: ${escapeCell(def.default.describe)})`;
    case 'value': {
      const value = def.default.value;
      if (value === null) return '(null)';
      if (typeof value === 'number' && def.type !== 'enum') return renderNumber(def, value);
      const text = def.format(value);
      return text === '' ? '""' : `\`${escapeCell(text)}\``;
    }
  }
}

function renderNumber(def: ConfigKeyDef<unknown>, value: number): string {
  if (def.type === 'long' && value === LONG_MAX_VALUE) return 'Long.MAX_VALUE';
  if (value === INT_MAX_VALUE) return 'Integer.MAX_VALUE';
  const readable = def.unit === 'bytes' ? readableBytes(value) : def.unit === 'ms' ? readableMs(value) : undefined;
  return readable === undefined ? String(value) : `${value} (${readable})`;
}

function readableBytes(value: number): string | undefined {
  for (const [size, label] of [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']] as const) {
    if (value >= size && value % size === 0) return `${value / size} ${label}`;
  }
  return undefined;
}

function readableMs(value: number): string | undefined {
  for (const [size, label] of [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'min'], [1_000, 's']] as const) {
    if (value >= size && value % size === 0) return `${value / size} ${label}`;
  }
  return undefined;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}
