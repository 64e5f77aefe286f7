/**
 * `groups list [--type classic,consumer] [--json]` as pure functions: Kafka's kafka-consumer-groups.sh --list with
 * --type and --state prints GROUP TYPE STATE, the type as Kafka names it (Classic, Consumer; KIP-848); kactor always
 * prints all three. JSON: `[{"group","type","state","protocolType","coordinator"}]`, the type lower-case as ListGroups has it.
 */
import type { GroupListing, GroupType } from '@kactor/client';
import { CliError } from './errors.js';
import { formatTable } from './group-output.js';

const groupTypes: readonly GroupType[] = ['classic', 'consumer'];

/** Kafka's display name of a group type (its GroupType enum's). */
export function groupTypeName(type: GroupType): string {
  return type === 'consumer' ? 'Consumer' : 'Classic';
}

/** `--type classic,consumer`: Kafka's comma-separated, case-insensitive list; undefined for every type. */
export function parseGroupTypes(value: string | undefined): Set<GroupType> | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(groupTypes as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new CliError(`--type takes a comma-separated list of ${groupTypes.join(', ')}, got "${value}"`);
  return new Set(names as GroupType[]);
}

export function filterByType(listings: readonly GroupListing[], types: ReadonlySet<GroupType> | undefined): GroupListing[] {
  return listings.filter((listing) => types === undefined || types.has(listing.type));
}

export function groupListText(listings: readonly GroupListing[]): string {
  return formatTable(['GROUP', 'TYPE', 'STATE'], listings.map((listing) => [listing.groupId, groupTypeName(listing.type), listing.state]));
}

export function groupListJson(listings: readonly GroupListing[]): string {
  return JSON.stringify(listings.map((listing) => ({ group: listing.groupId, type: listing.type, state: listing.state, protocolType: listing.protocolType, coordinator: listing.coordinatorId })));
}
