export * from './registry.js';
export { wireLimits } from './wire-limits.js';
export { memberIdPrefix, quotedName, withQuotedNames } from './echoed-text.js';
export { listOffsetsTimestamps } from './list-offsets.js';
export { coordinatorKeyTypes } from './find-coordinator.js';
export { configResourceTypes, configSources } from './describe-configs.js';
export type { MetadataImage, MetadataImageTopic, MetadataImagePartition, MetadataImageBroker, GroupRebalanceRecord, GroupRebalanceMemberRecord, GroupRebalanceTrigger } from './types.js';
export { rebalanceTriggers } from './describe-rebalances.js';
export { clusterActionApis, requiresClusterAction } from './cluster-actions.js';
