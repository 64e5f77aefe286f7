import { describe, expect, it } from 'vitest';
import { SERVER_ASSIGNOR_NAMES, serverAssignorByName } from '../index.js';

describe('server assignor registry', () => {
  it('knows uniform (Kafka default, first) and range by the names group.remote.assignor uses', () => {
    expect(SERVER_ASSIGNOR_NAMES).toEqual(['uniform', 'range']);
    expect(serverAssignorByName('uniform')?.name).toBe('uniform');
    expect(serverAssignorByName('range')?.name).toBe('range');
  });

  it('answers undefined for an unknown name (the coordinator answers UNSUPPORTED_ASSIGNOR)', () => {
    expect(serverAssignorByName('sticky')).toBeUndefined();
    expect(serverAssignorByName('')).toBeUndefined();
  });
});
