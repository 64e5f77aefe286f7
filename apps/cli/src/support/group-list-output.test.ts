import type { GroupListing } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { filterByType, groupListJson, groupListText, parseGroupTypes } from './group-list-output.js';

const listings: GroupListing[] = [
  { groupId: 'analytics', type: 'classic', protocolType: 'consumer', state: 'Stable', coordinatorId: 0 },
  { groupId: 'g848', type: 'consumer', protocolType: 'consumer', state: 'Reconciling', coordinatorId: 2 },
];

describe('groups list (Kafka --list --type --state)', () => {
  it('prints GROUP TYPE STATE, the type as Kafka names it', () => {
    expect(groupListText(listings).split('\n')).toEqual(['GROUP      TYPE      STATE', 'analytics  Classic   Stable', 'g848       Consumer  Reconciling']);
  });

  it('--json gains "type" (classic or consumer) and keeps every field', () => {
    expect(JSON.parse(groupListJson(listings))).toEqual([
      { group: 'analytics', type: 'classic', state: 'Stable', protocolType: 'consumer', coordinator: 0 },
      { group: 'g848', type: 'consumer', state: 'Reconciling', protocolType: 'consumer', coordinator: 2 },
    ]);
  });

  it('--type filters by a comma-separated, case-insensitive list, and names the types otherwise', () => {
    expect(filterByType(listings, parseGroupTypes('Consumer')).map((listing) => listing.groupId)).toEqual(['g848']);
    expect(filterByType(listings, parseGroupTypes('classic,consumer'))).toHaveLength(2);
    expect(filterByType(listings, parseGroupTypes(undefined))).toHaveLength(2);
    expect(() => parseGroupTypes('share')).toThrow('--type takes a comma-separated list of classic, consumer, got "share"');
  });
});
