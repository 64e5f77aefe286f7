import { describe, expect, it } from 'vitest';
import { Agenda } from './agenda.js';

describe('Agenda', () => {
  it('gives items in time order, ties in the order they were added', () => {
    const agenda = new Agenda();
    const ran: string[] = [];
    agenda.add(500, () => void ran.push('b'));
    agenda.add(100, () => void ran.push('a'));
    agenda.add(500, () => void ran.push('c'));
    agenda.add(0, () => void ran.push('first'));
    expect(agenda.peek()?.atMs).toBe(0);
    for (let item = agenda.take(); item !== undefined; item = agenda.take()) void item.run();
    expect(ran).toEqual(['first', 'a', 'b', 'c']);
    expect(agenda.peek()).toBeUndefined();
  });
});
