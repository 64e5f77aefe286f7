/* global document, window */
// The statecharts of the inspected consumers, group coordinators, producers and Raft replicas (one per node, of the
// metadata quorum; the leader's panel is marked): each actor gets a collapsible panel
// with its machine's SVG (laid out by the dashboard with ELK, fetched once per machine), fitted to the panel's
// width (a click shows it at full size), its active states highlighted and the transition just taken marked.
// The SVG's state boxes carry ids `state:<path>` and its transitions `data-from`/`data-to`; the active paths
// come from the actor's state value in /api/actors, the transition from its previous value. Partition and
// broker actors are listed in the table only: dozens of charts would bury the ones that show the protocol.
'use strict';

// In this order on the page: the Raft replicas last, so the clients' charts keep the first screen.
const chartedMachines = ['consumer', 'consumer-membership', 'group-coordinator', 'consumer-group-coordinator', 'producer', 'transaction-manager', 'transaction-coordinator', 'raft'];
const svgByMachine = new Map();
const panelsByActor = new Map();

/** 'stable' -> ['stable']; { joining: 'routing' } -> ['joining', 'joining.routing']; parallel values give every region. */
function activePaths(value, prefix = '') {
  if (typeof value === 'string') return [`${prefix}${value}`];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [`${prefix}${key}`, ...activePaths(child, `${prefix}${key}.`)]);
}

/** The machine's SVG element, parsed once per machine and cloned per actor. */
function machineSvg(machine) {
  if (!svgByMachine.has(machine)) {
    const loading = fetch(`/api/statecharts/${machine}.svg`, { cache: 'no-store' })
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(`${response.status}`))))
      .then((text) => new window.DOMParser().parseFromString(text, 'image/svg+xml').documentElement);
    loading.catch(() => svgByMachine.delete(machine)); // tried again on the next poll
    svgByMachine.set(machine, loading);
  }
  return svgByMachine.get(machine);
}

/**
 * The transition from the previous value to the current one: an arrow whose source was active before and is
 * not now (or any state, for the machine's own transitions) and whose target is active now and was not before.
 */
function markTransition(panel, actor) {
  const before = new Set(activePaths(actor.previousState));
  const now = new Set(activePaths(actor.state));
  const taken = [];
  for (const edge of panel.querySelectorAll('g.edge')) {
    const from = edge.getAttribute('data-from');
    const to = edge.getAttribute('data-to');
    const entered = before.size > 0 && to !== null && now.has(to) && !before.has(to);
    const left = from === '*' || (from !== null && before.has(from) && !now.has(from));
    const isTaken = entered && left;
    edge.classList.toggle('taken', isTaken);
    const path = edge.querySelector('path');
    if (path !== null) path.setAttribute('marker-end', isTaken ? 'url(#arrow-taken)' : 'url(#arrow)');
    if (isTaken) taken.push(`${from}->${to}`);
  }
  panel.dataset.taken = taken.join(' ');
}

function highlight(panel, actor) {
  const active = new Set(activePaths(actor.state));
  panel.dataset.active = [...active].join(' ');
  for (const node of panel.querySelectorAll('g[id^="state:"]')) node.classList.toggle('active', active.has(node.id.slice('state:'.length)));
  markTransition(panel, actor);
  // Text, not JSON: `ready: admission admitting · delivery idle` (the dashboard writes it, state-text.ts).
  const state = actor.stateText ?? (typeof actor.state === 'string' ? actor.state : '');
  const badge = panel.querySelector('.chart-state');
  badge.textContent = state;
  const top = activePaths(actor.state)[0] ?? '';
  // A producer's `ready` is its working state, as a member's `stable`, and a Raft replica's Follower; `closed` is its end.
  // The Raft leader (the dashboard marks it) stands out; Unattached, Prospective, Candidate and Resigned are an election under way.
  badge.dataset.tone = actor.leader === true ? 'leader' : /^(stable|ready|follower)$/i.test(top) ? 'stable' : /^(dead|empty|unjoined|closed)$/i.test(top) ? 'dead' : 'rebalancing';
  panel.dataset.leader = String(actor.leader === true);
  const recent = actor.recent ?? [];
  panel.querySelector('.chart-recent').textContent = recent.length > 1 ? `recent: ${recent.join(' → ')}` : '';
  panel.dataset.recent = recent.join(' ');
}

function newPanel(actor) {
  const panel = document.createElement('details');
  panel.className = 'statechart';
  panel.open = true;
  panel.dataset.actorId = actor.id;
  panel.dataset.machine = actor.machine;
  const summary = document.createElement('summary');
  const name = document.createElement('span');
  name.className = 'mono';
  name.textContent = actor.id;
  const state = document.createElement('span');
  state.className = 'badge chart-state';
  const recent = document.createElement('span');
  recent.className = 'muted chart-recent';
  summary.append(name, ' ', state, ' ', recent);
  const chart = document.createElement('div');
  chart.className = 'chart';
  chart.title = 'click to see the chart at full size (and again to fit it)';
  chart.addEventListener('click', () => toggleFullSize(chart));
  panel.append(summary, chart);
  machineSvg(actor.machine).then(
    (svg) => {
      chart.replaceChildren(document.importNode(svg, true));
      fullSize(chart, chart.classList.contains('full-size'));
      const latest = panelsByActor.get(actor.id);
      if (latest !== undefined) highlight(panel, latest.actor);
    },
    (error) => (chart.textContent = `statechart unavailable: ${error.message}`),
  );
  return panel;
}

/** Fitted to the panel by default (CSS); at full size the SVG gets its drawn width and the panel scrolls. */
function fullSize(chart, on) {
  const svg = chart.querySelector('svg');
  if (svg === null) return;
  const drawn = `${svg.getAttribute('data-width')}px`;
  svg.style.width = on ? drawn : '';
  // Fitted, a small chart keeps its drawn size instead of being blown up to the card's width.
  svg.style.maxWidth = on ? 'none' : drawn;
}

function toggleFullSize(chart) {
  const on = !chart.classList.contains('full-size');
  chart.classList.toggle('full-size', on);
  fullSize(chart, on);
}

/** Called by dashboard.js on every poll; panels persist between polls so open/closed survives. */
window.renderStatecharts = function renderStatecharts(answer) {
  const container = document.getElementById('statecharts');
  const actors = answer.actors
    .filter((actor) => chartedMachines.includes(actor.machine) && actor.status !== 'stopped')
    .sort((a, b) => chartedMachines.indexOf(a.machine) - chartedMachines.indexOf(b.machine));
  const seen = new Set();
  for (const actor of actors) {
    seen.add(actor.id);
    let entry = panelsByActor.get(actor.id);
    if (entry === undefined) {
      entry = { panel: newPanel(actor), actor };
      panelsByActor.set(actor.id, entry);
    }
    entry.actor = actor;
    highlight(entry.panel, actor);
  }
  for (const [id, entry] of panelsByActor) {
    if (!seen.has(id)) {
      entry.panel.remove();
      panelsByActor.delete(id);
    }
  }
  const panels = actors.map((actor) => panelsByActor.get(actor.id).panel);
  if (panels.length === 0) {
    container.replaceChildren(Object.assign(document.createElement('p'), { className: 'empty', textContent: 'No inspected consumers, coordinators, producers, transaction managers or Raft replicas yet: start them with --inspect pointing at this dashboard (see the footer).' }));
    return;
  }
  // Append in order; appending a panel already in place moves nothing visible and keeps its state.
  container.replaceChildren(...panels);
};
