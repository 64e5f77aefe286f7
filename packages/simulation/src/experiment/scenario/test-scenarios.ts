/** Scenario texts the scenario tests share. */

/** The smallest useful scenario, in YAML. */
export const MINIMAL_YAML = `name: demo
durationMs: 10m
topics:
  - name: orders
    partitions: 6
groups:
  - name: app
    topics: [orders]
    members: 3
`;

/** A scenario with something in every section, line numbers as the error tests count them. */
export const FULL_YAML = `name: full
description: every section
durationMs: 5m
cluster:
  brokers: 3
  latencyMs: 2ms
  config:
    min.insync.replicas: 2
topics:
  - name: orders
    partitions: 6
    replicationFactor: 3
  - name: audit
    partitions: 2
groups:
  - name: app
    topics: [orders]
    members: 4
    processingMs: {exponential: {meanMs: 2ms}}
    consumerConfig:
      max.poll.interval.ms: 30s
  - name: auditors
    topics: [audit]
    members: 1
    variant: consumer
    commit: sync
producers:
  - topic: orders
    recordsPerSecond: 100
    keys: {kind: zipf, keys: 50, exponent: 1.2}
    config:
      enable.idempotence: true
timeline:
  - at: 1m
    action: member.crash
    group: app
    member: 2
  - at: {uniform: [2m, 3m]}
    action: member.pause
    group: app
    count: 1
    drawn: true
    durationMs: {normal: {meanMs: 5s, stddevMs: 1s}}
  - at: 4m
    action: network.partition
    between: [[broker-0], [app]]
    durationMs: 10s
variants:
  - classic-eager
  - name: consumer-range
    protocol: consumer
    assignor: range
    brokerConfig:
      group.consumer.heartbeat.interval.ms: 1000
cases:
  - name: big
    set:
      groups.app.members: 10
      topics.orders.partitions: 24
quick:
  durationMs: 1m
  timeline: []
metrics: [rebalances, rebalance_time_ms]
seeds: 3
`;
