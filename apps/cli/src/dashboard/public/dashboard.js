/* global document, window */
// The kactor dashboard page: polls the JSON endpoints every second (the next poll starts after the last
// one answered, so a slow cluster never piles up requests) and redraws with DOM calls only: names from the
// cluster (topics, groups, member ids) are always text, never HTML.
'use strict';

const pollIntervalMs = 1000;

/** h('td', { class: 'num' }, 'text', childNode...) */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof window.Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function table(headers, rows, numeric = []) {
  return h('table', null, h('thead', null, h('tr', null, headers.map((header, index) => h('th', { class: numeric.includes(index) ? 'num' : null }, header)))), h('tbody', null, rows));
}

const dash = (value) => (value === null || value === undefined || value === -1 ? '-' : value);

/** Stable green, a rebalance under way amber (a consumer group's, KIP-848: Assigning, Reconciling), Dead and Empty grey. */
function tone(state) {
  if (state === 'Stable' || state === 'STABLE') return 'stable';
  if (state === 'PreparingRebalance' || state === 'CompletingRebalance' || state === 'Assigning' || state === 'Reconciling') return 'rebalancing';
  if (state === 'UNREVOKED_PARTITIONS' || state === 'UNRELEASED_PARTITIONS') return 'rebalancing';
  return 'dead';
}

const partitionList = (list) => list.map((tp) => `${tp.topic}-${tp.partition}`).join(', ');
const groupedPartitions = (list) => list.flatMap((entry) => entry.partitions.map((partition) => `${entry.topic}-${partition}`)).join(', ') || '-';

function renderBrokers(cluster) {
  const list = document.getElementById('brokers');
  list.replaceChildren(
    ...cluster.brokers.map((broker) =>
      h('li', { class: 'broker', 'data-broker-id': broker.id, 'data-alive': broker.alive }, h('span', { class: 'dot' }), h('strong', null, `broker ${broker.id}`), h('span', { class: 'mono muted' }, broker.url), broker.controller ? h('span', { class: 'tag' }, 'controller') : null, broker.alive ? null : h('span', { class: 'tag' }, 'not in metadata')),
    ),
  );
  if (cluster.brokers.length === 0) list.replaceChildren(h('li', { class: 'empty' }, 'no brokers'));
  document.getElementById('cluster-id').textContent = cluster.clusterId === null ? '' : `cluster ${cluster.clusterId}`;
  renderQuorum(cluster.quorum);
}

/** The metadata quorum in one line (as `kactor cluster quorum`): its leader, epoch and high watermark and each voter's lag, or that it has none. */
function renderQuorum(quorum) {
  const line = document.getElementById('quorum');
  line.hidden = quorum === null || quorum === undefined;
  if (line.hidden) return;
  line.dataset.leaderId = String(quorum.leaderId);
  if (quorum.leaderId < 0) {
    line.dataset.tone = 'bad';
    line.textContent = `metadata quorum: no leader${quorum.leaderEpoch >= 0 ? ` (epoch ${quorum.leaderEpoch})` : ''}: no topic, election or fencing can change until a majority of voters is back`;
    return;
  }
  line.dataset.tone = 'stable';
  const voters = quorum.voters.map((voter) => `${voter.replicaId}${voter.replicaId === quorum.leaderId ? ' (leader)' : ` (lag ${voter.lag})`}`).join(', ');
  line.textContent = `metadata quorum: leader node ${quorum.leaderId}, epoch ${quorum.leaderEpoch}, high watermark ${dash(quorum.highWatermark)}; voters ${voters}${quorum.observers.length > 0 ? `; ${quorum.observers.length} observer${quorum.observers.length === 1 ? '' : 's'}` : ''}`;
}

/** A partition is offline without a leader, under-replicated with fewer in-sync replicas than replicas. */
const offline = (partition) => partition.leader === -1;
const underReplicated = (partition) => !offline(partition) && Array.isArray(partition.isr) && Array.isArray(partition.replicas) && partition.isr.length < partition.replicas.length;

/** One summary line; the table (a row per partition) stays folded unless the user opens it. */
function renderTopics(cluster) {
  const partitions = cluster.topics.flatMap((topic) => topic.partitions);
  const under = partitions.filter(underReplicated).length;
  const down = partitions.filter(offline).length;
  const summary = document.getElementById('topics-summary');
  summary.textContent = `${cluster.topics.length} topic${cluster.topics.length === 1 ? '' : 's'}, ${partitions.length} partition${partitions.length === 1 ? '' : 's'}, ${under} under-replicated, ${down} offline`;
  summary.dataset.underReplicated = String(under);
  summary.dataset.offline = String(down);
  summary.classList.toggle('warn', under + down > 0);
  const rows = cluster.topics.flatMap((topic) =>
    topic.partitions.map((partition) =>
      h(
        'tr',
        { 'data-topic': topic.name, 'data-partition': partition.partition, 'data-leader-epoch': partition.leaderEpoch, class: partitionHealth(partition) },
        h('td', null, topic.name),
        h('td', { class: 'num' }, partition.partition),
        h('td', { class: 'num' }, dash(partition.leader)),
        h('td', { class: 'num' }, dash(partition.leaderEpoch)),
        h('td', { class: 'mono' }, (partition.replicas ?? []).join(',') || '-'),
        h('td', { class: 'mono' }, (partition.isr ?? []).join(',') || '-'),
        h('td', { class: 'health' }, partitionHealth(partition) ?? ''),
        h('td', { class: 'num' }, dash(partition.highWatermark)),
        h('td', { class: 'num' }, dash(partition.logEndOffset)),
      ),
    ),
  );
  const omitted = cluster.topicsOmitted > 0 ? h('p', { class: 'muted' }, `${cluster.topicsOmitted} more topics not shown`) : null;
  const headers = ['topic', 'partition', 'leader', 'leader epoch', 'replicas', 'isr', '', 'high watermark', 'log end offset'];
  document.getElementById('topics').replaceChildren(rows.length === 0 ? h('p', { class: 'empty' }, 'no topics') : table(headers, rows, [1, 2, 3, 7, 8]), omitted ?? '');
}

/** A partition's problem in words (also its row's class), null when it is healthy: the same rules as the summary line. */
const partitionHealth = (partition) => (offline(partition) ? 'offline' : underReplicated(partition) ? 'under-replicated' : null);

/** One cluster event in words: the partition (or broker) and what changed. */
function eventText(event) {
  const list = (replicas) => `[${replicas.join(',')}]`;
  const epoch = event.leaderEpoch === -1 ? '' : ` (leader epoch ${event.leaderEpoch})`;
  switch (event.kind) {
    case 'broker-fenced':
      return `broker ${event.broker} left the metadata (fenced or stopped)`;
    case 'broker-unfenced':
      return `broker ${event.broker} is back in the metadata`;
    case 'leader-change':
      return `leader ${event.from} -> ${event.to}${epoch}`;
    case 'offline':
      return `offline: no live leader (was ${event.from})${epoch}`;
    case 'online':
      return `online: leader ${event.to}${epoch}`;
    case 'isr-shrink':
    case 'isr-expand':
      return `ISR ${list(event.from)} -> ${list(event.to)}${epoch}`;
    default:
      return event.kind;
  }
}

/** Leader changes, ISR shrinks/expands, partitions offline/online and brokers fenced, newest first. */
function renderClusterEvents(cluster) {
  const events = [...(cluster.events ?? [])].reverse();
  const items = events.map((event) =>
    h(
      'li',
      { class: 'cluster-event', 'data-kind': event.kind, 'data-topic': event.topic, 'data-partition': event.partition, 'data-broker': event.broker },
      h('span', { class: 'muted mono' }, new Date(event.atMs).toLocaleTimeString()),
      h('span', { class: 'badge event-kind', 'data-kind': event.kind }, event.kind),
      h('strong', { class: 'mono' }, event.broker === undefined ? `${event.topic}-${event.partition}` : `broker ${event.broker}`),
      h('span', null, eventText(event)),
    ),
  );
  document.getElementById('cluster-events').replaceChildren(items.length === 0 ? h('li', { class: 'empty' }, 'no leader changes, ISR changes or offline partitions seen since the dashboard started') : '', ...items);
}

function renderMembers(group) {
  if (group.members.length === 0) return h('p', { class: 'empty' }, 'no active members');
  if (group.type === 'consumer') return renderConsumerMembers(group);
  const rows = group.members.map((member) =>
    h(
      'tr',
      { class: 'member', 'data-member-id': member.memberId, 'data-partitions': partitionList(member.assignment) },
      h('td', { class: 'mono' }, member.memberId),
      h('td', null, member.instanceId ?? '-'),
      h('td', null, h('span', { class: 'badge', 'data-tone': tone(group.state) }, group.state === 'Stable' ? 'stable' : group.state)),
      h('td', { class: 'mono' }, partitionList(member.assignment) || '-'),
    ),
  );
  return table(['member', 'instance', 'status', 'partitions'], rows);
}

/**
 * A consumer group's members (KIP-848): each one's epoch and reconciliation state, what it owns, what the assignor
 * gave it (its target) and what it still has to give up: a partition moves only once its owner revoked it.
 */
function renderConsumerMembers(group) {
  const rows = group.members.map((member) =>
    h(
      'tr',
      { class: 'member', 'data-member-id': member.memberId, 'data-partitions': partitionList(member.assignment), 'data-member-epoch': member.memberEpoch, 'data-member-state': member.memberState },
      h('td', { class: 'mono' }, member.memberId),
      h('td', null, member.instanceId ?? '-'),
      h('td', { class: 'num' }, dash(member.memberEpoch)),
      h('td', null, h('span', { class: 'badge', 'data-tone': tone(member.memberState) }, member.memberState ?? '-')),
      h('td', { class: 'mono' }, partitionList(member.assignment) || '-'),
      h('td', { class: 'mono' }, partitionList(member.targetAssignment ?? []) || '-'),
      h('td', { class: 'mono' }, partitionList(member.partitionsPendingRevocation ?? []) || '-'),
    ),
  );
  return table(['member', 'instance', 'epoch', 'state', 'partitions', 'target', 'revoking'], rows, [2]);
}

function renderPartitions(group) {
  if (group.partitions.length === 0) return h('p', { class: 'empty' }, 'no partitions owned or committed');
  const rows = group.partitions.map((row) =>
    h(
      'tr',
      { class: 'group-partition', 'data-partition': `${row.topic}-${row.partition}`, 'data-owner': row.memberId ?? '' },
      h('td', null, `${row.topic}-${row.partition}`),
      h('td', { class: 'num' }, dash(row.committedOffset)),
      h('td', { class: 'num' }, dash(row.logEndOffset)),
      h('td', { class: row.lag > 0 ? 'num lag-high' : 'num' }, dash(row.lag)),
      h('td', { class: 'mono' }, row.memberId ?? '-'),
    ),
  );
  return table(['partition', 'committed', 'log end', 'lag', 'owner'], rows, [1, 2, 3]);
}

/** Set through the CSSOM: the page's Content-Security-Policy refuses inline style attributes. */
function durationBar(durationMs, longestMs) {
  const bar = h('div', { class: 'bar', title: `${durationMs} ms` });
  bar.style.width = `${Math.max(1, Math.round((100 * durationMs) / longestMs))}%`;
  return bar;
}

/** The coordinator's rebalance records, newest first, each with a bar scaled to the longest one shown. */
function renderTimeline(group) {
  const records = [...group.rebalances].reverse();
  if (records.length === 0) return h('p', { class: 'empty' }, 'no rebalances recorded');
  const longestMs = Math.max(1, ...records.map((record) => record.durationMs));
  return h(
    'ol',
    { class: 'timeline' },
    records.map((record) =>
      h(
        'li',
        { class: 'rebalance', 'data-sequence': record.sequence, 'data-trigger': record.trigger },
        h(
          'div',
          { class: 'rebalance-head' },
          h('strong', null, `#${record.sequence} ${record.trigger}`),
          h('span', { class: 'muted' }, new Date(record.startMs).toLocaleTimeString()),
          // A consumer group's (KIP-848) records go through group epochs, not generations.
          h('span', null, `${record.protocol}, ${record.protocol === 'CONSUMER' ? 'group epochs' : 'generations'} ${record.generations.join(',') || '-'}`),
          h('span', null, `${record.durationMs} ms`),
          h('span', null, `${record.partitionsMoved} partition${record.partitionsMoved === 1 ? '' : 's'} moved`),
          record.reason ? h('span', { class: 'muted' }, record.reason) : null,
        ),
        durationBar(record.durationMs, longestMs),
        table(
          ['member', 'revoked', 'added', 'paused ms', 'partially paused ms'],
          record.members.map((member) =>
            h('tr', null, h('td', { class: 'mono' }, `${member.memberId}${member.remained ? '' : ' (left)'}`), h('td', { class: 'mono' }, groupedPartitions(member.revoked)), h('td', { class: 'mono' }, groupedPartitions(member.added)), h('td', { class: 'num' }, member.pausedMs), h('td', { class: 'num' }, member.partiallyPausedMs)),
          ),
          [3, 4],
        ),
      ),
    ),
  );
}

/** Groups with members or a rebalance under way matter; Empty and Dead ones are folded, without their history. */
const quiet = (group) => group.state === 'Empty' || group.state === 'Dead';
const totalLag = (group) => group.partitions.reduce((sum, row) => sum + (row.lag > 0 ? row.lag : 0), 0);

function groupHead(group) {
  return h(
    'div',
    { class: 'group-head' },
    h('h3', null, group.group),
    h('span', { class: 'tag group-type' }, group.type ?? 'classic'),
    h('span', { class: 'badge group-state', 'data-tone': tone(group.state) }, group.state),
    // A consumer group (KIP-848) has epochs and a server-side assignor where a classic group has a generation and a protocol.
    ...(group.type === 'consumer'
      ? [h('span', null, `group epoch ${dash(group.groupEpoch)}`), h('span', null, `target assignment epoch ${dash(group.targetAssignmentEpoch)}`), h('span', null, `assignor ${group.protocol || '-'}`)]
      : [h('span', null, `generation ${group.generation}`), h('span', null, `protocol ${group.protocol || '-'}`)]),
    h('span', { class: 'muted' }, `coordinator ${dash(group.coordinator)}`),
    h('span', { class: 'muted' }, `${group.members.length} member${group.members.length === 1 ? '' : 's'}`),
  );
}

function renderGroups(answer) {
  const active = answer.groups.filter((group) => !quiet(group));
  const folded = answer.groups.filter(quiet);
  const sections = active.map((group) =>
    h(
      'section',
      { class: 'group', 'data-group': group.group, 'data-type': group.type, 'data-state': group.state, 'data-tone': tone(group.state), 'data-generation': group.generation },
      groupHead(group),
      h('div', { class: 'group-body' }, h('div', null, h('h4', null, 'Members'), renderMembers(group), h('h4', null, 'Partitions and lag'), renderPartitions(group)), h('div', null, h('h4', null, 'Rebalances'), renderTimeline(group))),
    ),
  );
  const emptyGroups = folded.length === 0 ? '' : foldedGroups(folded);
  const omitted = answer.groupsOmitted > 0 ? h('p', { class: 'muted' }, `${answer.groupsOmitted} more groups not shown`) : '';
  document.getElementById('groups').replaceChildren(...(answer.groups.length === 0 ? [h('p', { class: 'empty' }, 'no consumer groups')] : sections), emptyGroups, omitted);
  renderGroupsOverview(active, folded.length);
}

/** Empty and Dead groups: one line each inside a closed expander, kept open across polls once the user opens it. */
function foldedGroups(groups) {
  const previous = document.getElementById('empty-groups');
  const details = h('details', { id: 'empty-groups', class: 'empty-groups' }, h('summary', null, `${groups.length} empty group${groups.length === 1 ? '' : 's'}`));
  details.open = previous !== null && previous.open;
  details.append(...groups.map((group) => h('section', { class: 'group folded', 'data-group': group.group, 'data-state': group.state, 'data-tone': tone(group.state), 'data-generation': group.generation }, groupHead(group))));
  return details;
}

/** The overview row: each group that matters in one line, then how many are folded. */
function renderGroupsOverview(active, foldedCount) {
  const items = active.map((group) =>
    h('li', { 'data-group': group.group, 'data-type': group.type }, h('strong', null, group.group), h('span', { class: 'tag' }, group.type ?? 'classic'), h('span', { class: 'badge', 'data-tone': tone(group.state) }, group.state), h('span', { class: 'muted' }, `${group.members.length} member${group.members.length === 1 ? '' : 's'}, lag ${totalLag(group)}`)),
  );
  if (foldedCount > 0) items.push(h('li', { class: 'muted' }, `${foldedCount} empty group${foldedCount === 1 ? '' : 's'} (folded below)`));
  if (items.length === 0) items.push(h('li', { class: 'empty' }, 'no consumer groups'));
  document.getElementById('groups-overview').replaceChildren(...items);
}

/** A transaction under way amber, one committed green, aborted, fenced or empty grey. */
function transactionTone(state) {
  if (state === 'CompleteCommit') return 'stable';
  if (state === 'Ongoing' || state === 'PrepareCommit' || state === 'PrepareAbort' || state === 'PrepareEpochFence') return 'rebalancing';
  return 'dead';
}

/** One row per transactional id (`/api/transactions`): its state, coordinator, producer id and epoch, open partitions. */
function renderTransactions(answer) {
  const container = document.getElementById('transactions');
  const omitted = answer.transactionsOmitted > 0 ? h('p', { class: 'muted' }, `${answer.transactionsOmitted} more transactional ids not shown`) : '';
  if (answer.transactions.length === 0) {
    container.replaceChildren(h('p', { class: 'empty' }, 'no transactional ids'), omitted);
    return;
  }
  const rows = answer.transactions.map((txn) =>
    h(
      'tr',
      { class: 'transaction', 'data-transactional-id': txn.transactionalId, 'data-state': txn.transactionState },
      h('td', { class: 'mono' }, txn.transactionalId),
      h('td', null, h('span', { class: 'badge', 'data-tone': transactionTone(txn.transactionState) }, txn.transactionState)),
      h('td', { class: 'num' }, `broker ${txn.coordinatorId}`),
      h('td', { class: 'num' }, `${txn.producerId} / ${txn.producerEpoch}`),
      h('td', { class: 'mono' }, partitionList(txn.topicPartitions) || '-'),
      h('td', { class: 'num' }, dash(txn.transactionDurationMs)),
    ),
  );
  container.replaceChildren(table(['transactional id', 'state', 'coordinator', 'producer id / epoch', 'partitions', 'duration ms'], rows, [2, 3, 5]), omitted);
}

function renderActors(answer) {
  const container = document.getElementById('actors');
  const omitted = answer.actorsOmitted > 0 ? ` (${answer.actorsOmitted} more not kept)` : '';
  document.getElementById('actors-summary').textContent = `${answer.actors.length} inspected actors${omitted}`;
  if (answer.actors.length === 0) {
    container.replaceChildren(h('p', { class: 'empty' }, `No inspected actors. Processes started with --inspect ws://${window.location.host} appear here.`));
    return;
  }
  const rows = answer.actors.map((actor) =>
    h('tr', { class: 'actor', 'data-actor-id': actor.id, 'data-leader': actor.leader === true ? 'true' : null }, h('td', { class: 'mono' }, actor.id), h('td', null, actor.machine), h('td', { class: 'mono' }, actor.stateText ?? String(actor.state), actor.leader === true ? h('span', { class: 'tag' }, 'quorum leader') : null)),
  );
  container.replaceChildren(table(['actor', 'machine', 'state'], rows));
}

// With a shared secret the dashboard prints its address with ?token=: the JSON asks for it (401 otherwise).
const viewerToken = new URLSearchParams(window.location.search).get('token');
const authorization = viewerToken === null ? {} : { authorization: `Bearer ${viewerToken}` };

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store', headers: authorization });
  if (response.status === 401) throw new Error('this dashboard is protected by the shared secret: open the address `kactor dashboard` printed, with its ?token=');
  const body = await response.json();
  if (!response.ok) throw new Error(`${path}: ${body.error ?? response.status} ${body.message ?? ''}`);
  return body;
}

function setStatus(kind, text) {
  const status = document.getElementById('status');
  status.dataset.status = kind;
  status.textContent = text;
}

/** What each endpoint's answer redraws. */
const views = [
  ['/api/cluster', (cluster) => (renderBrokers(cluster), renderTopics(cluster), renderClusterEvents(cluster))],
  ['/api/groups', renderGroups],
  ['/api/transactions', renderTransactions],
  ['/api/actors', (actors) => (renderActors(actors), window.renderStatecharts(actors))],
];

async function refresh() {
  // Each answer is drawn on its own: a group whose coordinator just died (its describe fails) must not
  // stop the page from showing the offline partitions and the leader changes that death caused.
  const answers = await Promise.allSettled(views.map(([path]) => getJson(path)));
  const failures = [];
  answers.forEach((answer, index) => {
    if (answer.status === 'rejected') return failures.push(answer.reason.message);
    try {
      views[index][1](answer.value);
    } catch (error) {
      failures.push(`${views[index][0]}: ${error.message}`);
    }
  });
  // Keep the last good view of what failed on screen and say what failed: a broker restart should not blank the page.
  if (failures.length === 0) setStatus('ok', `updated ${new Date().toLocaleTimeString()}`);
  else setStatus('error', `cannot reach the cluster: ${failures.join('; ')}`);
  window.setTimeout(refresh, pollIntervalMs);
}

document.getElementById('inspect-url').textContent = `ws://${window.location.host}`;
refresh();
