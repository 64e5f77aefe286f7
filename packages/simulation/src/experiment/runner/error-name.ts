/** An error as the trace says it: its class or Kafka error name and its message (nothing that varies between runs). */
export function errorName(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
