/** The group APIs of the classic protocol (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups, ListGroups, DeleteGroups, OffsetDelete), one adapter each, served by the Kafka listener. */
import { eraseAdapter, type AnyKafkaApiAdapter } from './adapter.js';
import { deleteGroupsAdapter } from './delete-groups.js';
import { describeGroupsAdapter } from './describe-groups.js';
import { findCoordinatorAdapter } from './find-coordinator.js';
import { heartbeatAdapter } from './heartbeat.js';
import { joinGroupAdapter } from './join-group.js';
import { leaveGroupAdapter } from './leave-group.js';
import { listGroupsAdapter } from './list-groups.js';
import { offsetCommitAdapter } from './offset-commit.js';
import { offsetDeleteAdapter } from './offset-delete.js';
import { offsetFetchAdapter } from './offset-fetch.js';
import { syncGroupAdapter } from './sync-group.js';

export const groupApiAdapters: readonly AnyKafkaApiAdapter[] = [
  eraseAdapter(findCoordinatorAdapter),
  eraseAdapter(joinGroupAdapter),
  eraseAdapter(syncGroupAdapter),
  eraseAdapter(heartbeatAdapter),
  eraseAdapter(leaveGroupAdapter),
  eraseAdapter(offsetCommitAdapter),
  eraseAdapter(offsetFetchAdapter),
  eraseAdapter(describeGroupsAdapter),
  eraseAdapter(listGroupsAdapter),
  eraseAdapter(deleteGroupsAdapter),
  eraseAdapter(offsetDeleteAdapter),
];
