/**
 * A produced record's value: its unique id (`<producer>-<n>`), then padding up to the scenario's value size. The id
 * ends at the first space, so the consumer side reads it back without knowing the size.
 */
const decoder = new TextDecoder();

export function recordValue(id: string, valueBytes: number): string {
  return valueBytes > id.length + 1 ? `${id} ${'.'.repeat(valueBytes - id.length - 1)}` : id;
}

export function recordIdOfValue(value: Uint8Array | null): string {
  if (value === null) return '';
  const text = decoder.decode(value);
  const end = text.indexOf(' ');
  return end < 0 ? text : text.slice(0, end);
}
