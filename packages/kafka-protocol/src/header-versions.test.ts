import { describe, expect, it } from 'vitest';
import { requestHeaderVersion, responseHeaderVersion } from './header-versions.js';

describe('header versions follow the API version', () => {
  it('non-flexible API versions use request header v1 and response header v0', () => {
    expect(requestHeaderVersion(0, 8)).toBe(1);
    expect(responseHeaderVersion(0, 8)).toBe(0);
    expect(requestHeaderVersion(3, 4)).toBe(1);
  });

  it('flexible API versions use request header v2 and response header v1 (Produce v9, Metadata v9, Fetch v12)', () => {
    expect(requestHeaderVersion(0, 9)).toBe(2);
    expect(responseHeaderVersion(0, 9)).toBe(1);
    expect(requestHeaderVersion(3, 9)).toBe(2);
    expect(responseHeaderVersion(1, 12)).toBe(1);
  });

  it('ApiVersions responses always use header v0, also for flexible v3 and for versions newer than the spec (KIP-511)', () => {
    expect(requestHeaderVersion(18, 3)).toBe(2);
    expect(responseHeaderVersion(18, 3)).toBe(0);
    expect(requestHeaderVersion(18, 9)).toBe(2);
    expect(responseHeaderVersion(18, 9)).toBe(0);
  });

  it('ControlledShutdown v0 uses request header v0; unknown API keys have no header version', () => {
    expect(requestHeaderVersion(7, 0)).toBe(0);
    expect(requestHeaderVersion(7, 1)).toBeUndefined();
    expect(responseHeaderVersion(999, 0)).toBeUndefined();
  });
});
