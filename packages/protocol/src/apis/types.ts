/** Named types for schema pieces that actors keep in their context. */
import type { z } from 'zod';
import type { rebalanceMemberRecord, rebalanceRecord, rebalanceTriggers } from './describe-rebalances.js';
import type { metadataImage, metadataImageBroker, metadataImagePartition, metadataImageTopic } from './update-metadata.js';

export type MetadataImage = z.infer<typeof metadataImage>;
export type MetadataImageTopic = z.infer<typeof metadataImageTopic>;
export type MetadataImagePartition = z.infer<typeof metadataImagePartition>;
export type MetadataImageBroker = z.infer<typeof metadataImageBroker>;

/** One rebalance of a group as its coordinator recorded it (DescribeRebalances). */
export type GroupRebalanceRecord = z.infer<typeof rebalanceRecord>;
export type GroupRebalanceMemberRecord = z.infer<typeof rebalanceMemberRecord>;
export type GroupRebalanceTrigger = (typeof rebalanceTriggers)[number];
