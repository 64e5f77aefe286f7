import { INSPECTION_RELAY_PORT_DEFAULT } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { INSPECT_FLAG_HELP, INSPECT_RELAY_PORT } from './inspect-flag.js';

describe('the --inspect flag', () => {
  it("names the runtime's relay port in its help", () => {
    expect(INSPECT_RELAY_PORT).toBe(INSPECTION_RELAY_PORT_DEFAULT);
    expect(INSPECT_FLAG_HELP).toContain(`127.0.0.1:${INSPECTION_RELAY_PORT_DEFAULT}`);
  });
});
