import { describe, expect, it } from 'vitest';
import { STATECHARTS } from '../statecharts/registry.js';
import { STATECHART_NAMES } from './statechart-names.js';

describe('the statechart names of the help', () => {
  it("are the registry's machines, in its order", () => {
    expect([...STATECHART_NAMES]).toEqual(Object.keys(STATECHARTS));
  });
});
