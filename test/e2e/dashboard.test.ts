/**
 * The dashboard in a real browser (issue 5): Debian's chromium driven by playwright-core (no browser
 * download). A 3-broker cluster started with `cluster up --dashboard`, a group of two CLI consumers; the
 * page shows both members of a Stable group sharing the partitions; one consumer is killed with SIGKILL
 * and, after its session.timeout.ms, the page shows the group rebalanced (a session-timeout record on the
 * timeline) and the survivor holding every partition. Screenshots are saved as test artifacts in
 * test-artifacts/dashboard-stable.png and test-artifacts/dashboard.png (git-ignored).
 *
 * Without a Chromium (set KACTOR_CHROMIUM to use another path) the browser test is skipped and says so;
 * `.ci/run` installs Debian's chromium so CI always runs it. `kactor dashboard --port P` (the command on its
 * own, beside a running cluster) is checked through its JSON, with or without a browser.
 *
 * Inspection: the cluster runs with `--dashboard P --inspect`, so the brokers stream their actors to the
 * dashboard's /inspect, and the consumers get `--inspect ws://127.0.0.1:P/inspect`. /api/actors lists both
 * consumers stable under their member ids and the group's coordinator Stable (checked without a browser); the page draws their
 * statecharts with the active state highlighted, and the survivor's chart goes through a rejoin back to
 * `stable` after the other consumer is killed.
 *
 * Replication (issue 11): at the end broker 2 is killed (`cluster kill 2`); once the controller fences it the
 * partitions it led (RF 1) are shown offline, counted in the summary line and on the cluster timeline.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freeBasePort, kactor, repositoryRoot, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { startCommand, type RunningCommand } from './support/processes.js';

const chromiumPath = process.env.KACTOR_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) {
  process.stdout.write(`SKIPPED the dashboard browser test: no Chromium at ${chromiumPath} (apt-get install chromium, or set KACTOR_CHROMIUM)\n`);
}

const artifacts = join(repositoryRoot, 'test-artifacts');
const topic = 'clicks';
const group = 'watchers';
const partitionCount = 4;

/** What the page shows of one group, read from the DOM (data attributes the page sets on its elements). */
/**
 * One consumer's client.id. Its actor is named after its member id once it has joined, which the
 * coordinator builds from the client id (`consumer/<group>/watcher-0-<unique>`), so the id tells which
 * consumer an actor is.
 */
const clientId = (index: number) => `watcher-${index}`;
/** The actor of consumer `index` by the member ids the page or the API shows (undefined if not among them). */
const consumerActorId = (index: number, memberIds: readonly string[]) => {
  const memberId = memberIds.find((id) => id.startsWith(`${clientId(index)}-`));
  return memberId === undefined ? undefined : `consumer/${group}/${memberId}`;
};

interface ListedActor {
  id: string;
  machine: string;
  state: unknown;
  recent: string[];
  /** Set on a Raft replica that leads the metadata quorum. */
  leader?: true;
}

/** What the page shows of one actor's statechart: which states are highlighted, and its recent trail. */
async function chartOnPage(page: Page, actorId: string) {
  const panel = page.locator(`details.statechart[data-actor-id="${actorId}"]`);
  if ((await panel.count()) !== 1) return undefined;
  const active = await panel.locator('g.active').evaluateAll((nodes) => nodes.map((node) => node.id));
  const recent = ((await panel.getAttribute('data-recent')) ?? '').split(' ').filter((state) => state !== '');
  // The transition just taken, as `from->to` state paths (the arrows the page marked).
  const taken = ((await panel.getAttribute('data-taken')) ?? '').split(' ').filter((edge) => edge !== '');
  return { active, recent, taken };
}

async function groupOnPage(page: Page) {
  const section = page.locator(`section.group[data-group="${group}"]`);
  if ((await section.count()) !== 1) return undefined;
  const rows = section.locator('tr.member');
  const members: Array<{ id: string; partitions: string[] }> = [];
  for (let index = 0; index < (await rows.count()); index += 1) {
    const row = rows.nth(index);
    const partitions = (await row.getAttribute('data-partitions')) ?? '';
    members.push({ id: (await row.getAttribute('data-member-id')) ?? '', partitions: partitions === '' ? [] : partitions.split(', ') });
  }
  const triggers = await section.locator('li.rebalance').evaluateAll((items) => items.map((item) => item.getAttribute('data-trigger')));
  return { state: await section.getAttribute('data-state'), badge: await section.locator('.group-state').textContent(), members, triggers };
}

describe('the dashboard on a real cluster', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-dashboard');
  let cluster: RunningCluster;
  let dashboardUrl: string;
  let inspectUrl: string;
  const consumers: RunningCommand[] = [];
  const actors = async () => ((await (await fetch(`${dashboardUrl}api/actors`)).json()) as { actors: ListedActor[] }).actors;

  beforeAll(async () => {
    const basePort = await freeBasePort(5);
    // The broker killed at the end is fenced after broker.session.timeout.ms: 5 s rather than Kafka's 9 s.
    const fastFencing = ['broker.session.timeout.ms=5000', 'broker.heartbeat.interval.ms=500'].flatMap((entry) => ['--override', entry]);
    cluster = await startCluster({ dataDir: dataDir.path, basePort, extraArgs: ['--dashboard', String(basePort + 3), '--inspect', ...fastFencing] });
    dashboardUrl = await eventually(async () => /^dashboard: (\S+)$/m.exec(cluster.output().stdout)?.[1], 30_000, 'cluster up prints the dashboard URL');
    inspectUrl = await eventually(async () => /^inspect: --inspect (\S+)$/m.exec(cluster.output().stdout)?.[1], 30_000, 'cluster up prints the inspect URL');
    expect(inspectUrl).toBe(`ws://127.0.0.1:${basePort + 3}/inspect`);
    expect((await kactor(['topics', 'create', topic, '--partitions', String(partitionCount), '--bootstrap-server', cluster.bootstrap])).code).toBe(0);
    const input = Array.from({ length: 400 }, (_, index) => `key-${index}:value-${index}`).join('\n');
    expect((await kactor(['produce', topic, '--key-separator', ':', '--bootstrap-server', cluster.bootstrap], { input })).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop('SIGKILL');
    await cluster?.stop();
    dataDir.remove();
  });

  it('kactor dashboard --port P serves the cluster as JSON: brokers alive, the topic, 404 for an unknown group', async () => {
    const port = cluster.basePort + 4;
    const dashboard = spawn(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'apps/cli/src/main.ts'), 'dashboard', '--port', String(port), '--bootstrap-server', cluster.bootstrap], { cwd: repositoryRoot });
    let stdout = '';
    dashboard.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      const url = await eventually(async () => /^dashboard: (\S+)$/m.exec(stdout)?.[1], 30_000, 'kactor dashboard prints its URL');
      expect(url).toBe(`http://127.0.0.1:${port}/`);
      // The two lines may come in two chunks of the pipe: wait for the second rather than read it with the first.
      await eventually(async () => stdout.includes('\ninspect: ') || undefined, 10_000, 'kactor dashboard prints its inspect line');
      expect(stdout).toContain(`inspect: --inspect ws://127.0.0.1:${port}/inspect`);
      const answer = (await (await fetch(`${url}api/cluster`)).json()) as {
        brokers: Array<{ id: number; alive: boolean; controller: boolean }>;
        topics: Array<{ name: string; partitions: unknown[] }>;
        quorum: { leaderId: number } | null;
      };
      expect(answer.brokers.map((broker) => [broker.id, broker.alive])).toEqual([[0, true], [1, true], [2, true]]);
      // The active controller is whichever voter leads the metadata quorum (KRaft): one broker, the quorum's leader.
      expect(answer.brokers.filter((broker) => broker.controller).map((broker) => broker.id)).toEqual([answer.quorum?.leaderId]);
      expect(answer.topics.find((entry) => entry.name === topic)?.partitions).toHaveLength(partitionCount);
      expect((await fetch(`${url}api/groups/nobody`)).status).toBe(404);
      // No producer here is transactional: the brokers' transaction coordinators (ListTransactions) hold no id.
      expect(await (await fetch(`${url}api/transactions`)).json()).toEqual({ transactions: [], transactionsOmitted: 0 });
      expect((await fetch(`${url}api/cluster`, { method: 'POST' })).status).toBe(405);
    } finally {
      dashboard.kill('SIGKILL');
    }
  });

  it('consumers started with --inspect <dashboard>/inspect are listed in /api/actors as stable, beside the brokers\' actors', async () => {
    for (let index = 0; index < 2; index += 1) {
      consumers.push(
        startCommand([
          'consume', topic, '--group', group, '--from-beginning', '--json', '--events', '--session-timeout-ms', '6000', '--heartbeat-interval-ms', '500',
          '--consumer-property', `client.id=${clientId(index)}`, '--inspect', inspectUrl, '--bootstrap-server', cluster.bootstrap,
        ]),
      );
    }
    const listed = await eventually(
      async () => {
        const all = await actors();
        const members = all.filter((actor) => actor.id.startsWith(`consumer/${group}/`));
        const coordinator = all.find((actor) => new RegExp(`^broker-[0-2]/group/${group}$`).test(actor.id));
        return members.length === 2 && members.every((actor) => actor.state === 'stable') && coordinator?.state === 'Stable' ? { all, members, coordinator } : undefined;
      },
      60_000,
      'both consumers stable and the coordinator Stable in /api/actors',
    );
    // Each consumer is listed under its member id, the one the group's description shows.
    const described = (await (await fetch(`${dashboardUrl}api/groups/${group}`)).json()) as { members: Array<{ memberId: string; clientId: string }> };
    const memberIds = described.members.map((member) => member.memberId);
    expect(memberIds).toHaveLength(2);
    expect(listed.members.map((actor) => [actor.id, actor.machine, actor.state])).toEqual([
      [consumerActorId(0, memberIds), 'consumer', 'stable'],
      [consumerActorId(1, memberIds), 'consumer', 'stable'],
    ]);
    expect(listed.coordinator.machine).toBe('group-coordinator');
    // The brokers' own actors came through cluster up's --inspect, streamed to the same dashboard.
    expect(listed.all.map((actor) => actor.id)).toEqual(expect.arrayContaining(['broker-0/controller', 'broker-0/broker', 'broker-1/broker', 'broker-2/broker']));
    // Each voter's Raft replica of the metadata quorum is live there too (issue 12), exactly one of them the Leader.
    const rafts = listed.all.filter((actor) => actor.machine === 'raft');
    expect(rafts.map((actor) => actor.id).sort()).toEqual([0, 1, 2].map((id) => `broker-${id}/raft/__cluster_metadata-0`));
    expect(rafts.filter((actor) => actor.leader === true).map((actor) => actor.recent.at(-1))).toEqual(['Leader']);
    const svg = await fetch(`${dashboardUrl}api/statecharts/consumer.svg`);
    expect([svg.status, svg.headers.get('content-type')]).toEqual([200, 'image/svg+xml; charset=utf-8']);
  });

  it("--inspect with the dashboard's bare address works; a wrong inspection URL is one clear line on stderr", async () => {
    const bare = inspectUrl.replace(/\/inspect$/, '');
    const good = await kactor(['produce', topic, '--inspect', bare, '--bootstrap-server', cluster.bootstrap], { input: 'k:v\n' });
    expect(good.code).toBe(0);
    expect(good.stderr).not.toContain('inspection: cannot connect');
    const wrongUrl = `${bare}/nothing`;
    const wrong = await kactor(['produce', topic, '--inspect', wrongUrl, '--bootstrap-server', cluster.bootstrap], { input: 'k:v\n' });
    expect(wrong.code).toBe(0);
    expect(wrong.stderr).toContain(`inspection: cannot connect to ${wrongUrl}: HTTP 404`);
  });

  describe.skipIf(!haveChromium)('in a real browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: chromiumPath });
      mkdirSync(artifacts, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
    });
    it('shows two stable members, then the survivor taking the partitions of a member killed with SIGKILL', async () => {
      // The consumers are the two inspected ones started by the test above.
      expect(consumers).toHaveLength(2);
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(dashboardUrl);
      await expect(page.title()).resolves.toBe('kactor dashboard');

      const stable = await eventually(
        async () => {
          const shown = await groupOnPage(page);
          const owned = shown?.members.flatMap((member) => member.partitions) ?? [];
          const shared = shown?.members.length === 2 && shown.members.every((member) => member.partitions.length > 0) && new Set(owned).size === partitionCount;
          return shown?.state === 'Stable' && shared ? shown : undefined;
        },
        60_000,
        'the page shows both members stable, sharing every partition',
      );
      expect(stable.badge).toBe('Stable');
      expect(await page.locator('li.broker[data-alive="true"]').count()).toBe(3);
      expect(await page.locator(`#topics tr[data-topic="${topic}"]`).count()).toBe(partitionCount);
      // The first screen (issue 10): partitions folded behind a one-line summary, no Empty group unfolded.
      expect(await page.locator('#topics-panel').evaluate((details) => (details as unknown as { open: boolean }).open)).toBe(false);
      expect(await page.locator('#topics-summary').textContent()).toMatch(/^\d+ topics?, \d+ partitions?, 0 under-replicated, 0 offline$/);
      expect(await page.locator('#groups-overview li[data-group]').count()).toBeGreaterThanOrEqual(1);
      // Each consumer's statechart, named after the member id the group's table shows, and the coordinator's,
      // with the current state highlighted.
      const memberIds = stable.members.map((member) => member.id);
      const killedId = consumerActorId(0, memberIds) ?? '';
      const survivorId = consumerActorId(1, memberIds) ?? '';
      expect([killedId, survivorId]).toEqual([expect.stringMatching(new RegExp(`^consumer/${group}/${clientId(0)}-.`)), expect.stringMatching(new RegExp(`^consumer/${group}/${clientId(1)}-.`))]);
      for (const actorId of [killedId, survivorId]) {
        const chart = await eventually(async () => {
          const shown = await chartOnPage(page, actorId);
          return shown?.active.includes('state:stable') ? shown : undefined;
        }, 30_000, `the chart of ${actorId} with stable highlighted`);
        expect(chart.active).toEqual(['state:stable']);
      }
      const coordinatorId = (await actors()).find((actor) => actor.machine === 'group-coordinator')?.id ?? '';
      await eventually(async () => ((await chartOnPage(page, coordinatorId))?.active.includes('state:Stable') ? true : undefined), 30_000, 'the coordinator chart with Stable highlighted');
      expect(await page.locator('details.statechart[data-machine="partition"]').count()).toBe(0);
      // The charts are on the first screen of a 1280x800 window, each fitted to its card; states are text, not JSON.
      const charts = await eventually(
        async () => {
          const boxes = await page.locator('details.statechart').evaluateAll((panels) =>
            panels.map((panel) => {
              const svg = panel.querySelector('.chart svg')?.getBoundingClientRect();
              const card = panel.querySelector('.chart')?.getBoundingClientRect();
              return { svg: svg === undefined ? null : { top: svg.top, width: svg.width, right: svg.right }, card: card === undefined ? null : { width: card.width, right: card.right }, state: panel.querySelector('.chart-state')?.textContent ?? '' };
            }),
          );
          return boxes.length >= 3 && boxes.every((box) => box.svg !== null && box.svg.width > 0) ? boxes : undefined;
        },
        30_000,
        'the charts drawn',
      );
      expect(charts[0]?.svg?.top).toBeLessThan(800);
      for (const chart of charts) {
        expect(chart.svg?.width).toBeLessThanOrEqual((chart.card?.width ?? 0) + 1);
        expect(chart.svg?.right).toBeLessThanOrEqual((chart.card?.right ?? 0) + 1);
        expect(chart.state).not.toMatch(/[{}"]/);
      }
      // The transition into stable (from syncing, or from a rebalance) is the one marked on each member's chart.
      expect((await chartOnPage(page, survivorId))?.taken.some((edge) => edge.endsWith('->stable'))).toBe(true);
      await page.screenshot({ path: join(artifacts, 'dashboard-first-screen.png') });
      const recentBefore = (await chartOnPage(page, survivorId))?.recent ?? [];
      await page.screenshot({ path: join(artifacts, 'dashboard-stable.png'), fullPage: true });

      // Both consumers run the same command; whichever is killed, the page must show the other one take over.
      await consumers[0]?.stop('SIGKILL');

      const after = await eventually(
        async () => {
          const shown = await groupOnPage(page);
          const survivor = shown?.members.length === 1 ? shown.members[0] : undefined;
          return shown?.state === 'Stable' && survivor?.partitions.length === partitionCount && shown.triggers.includes('session-timeout') ? { shown, survivor } : undefined;
        },
        60_000,
        'the page shows the group rebalanced after the session timeout and the survivor holding every partition',
      );
      expect(memberIds).toContain(after.survivor.id);
      const killed = stable.members.find((member) => member.id !== after.survivor.id);
      for (const partition of killed?.partitions ?? []) expect(after.survivor.partitions).toContain(partition);
      // The survivor's chart went through a rejoin and is back at stable; the killed consumer's chart is gone.
      const rejoined = await eventually(
        async () => {
          const shown = await chartOnPage(page, survivorId);
          const gone = (await chartOnPage(page, killedId)) === undefined;
          return gone && shown?.recent.at(-1) === 'stable' && shown.recent.join(' ') !== recentBefore.join(' ') && shown.active.includes('state:stable') && shown.taken.length > 0 ? shown : undefined;
        },
        30_000,
        "the survivor's chart back at stable after a rejoin, the killed consumer's chart removed",
      );
      expect(rejoined.taken.every((edge) => edge.endsWith('->stable'))).toBe(true);
      const passedThrough = rejoined.recent.length >= 12 ? rejoined.recent : rejoined.recent.slice(recentBefore.length);
      expect(passedThrough.some((state) => state === 'joining' || state === 'rebalancing')).toBe(true);
      await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
      // The JSON the page drew from, as a script reads it.
      const described = (await (await fetch(`${dashboardUrl}api/groups/${group}`)).json()) as { state: string; members: unknown[]; rebalances: Array<{ trigger: string }> };
      expect([described.state, described.members.length]).toEqual(['Stable', 1]);
      expect(described.rebalances.map((record) => record.trigger)).toContain('session-timeout');

      // Issue 11: a broker killed (not broker 0, the controller) takes its RF 1 partitions offline once the
      // controller fences it: the page highlights them, counts them in the summary and puts them on the cluster timeline.
      const ledByTwo = await page.locator(`#topics tr[data-topic="${topic}"]`).evaluateAll((rows) => rows.filter((row) => row.children[2]?.textContent === '2').map((row) => row.getAttribute('data-partition')));
      expect(ledByTwo.length).toBeGreaterThan(0);
      const killed2 = await kactor(['cluster', 'kill', '2', '--data-dir', dataDir.path], { timeoutMs: 60_000 });
      expect(killed2.code, killed2.stderr).toBe(0);
      const offlineShown = await eventually(
        async () => {
          const rows = await page.locator(`#topics tr.offline[data-topic="${topic}"]`).evaluateAll((found) => found.map((row) => row.getAttribute('data-partition')));
          const events = await page.locator(`#cluster-events li.cluster-event[data-kind="offline"][data-topic="${topic}"]`).evaluateAll((found) => found.map((item) => item.getAttribute('data-partition')));
          return rows.length === ledByTwo.length && events.length === ledByTwo.length ? { rows, events } : undefined;
        },
        60_000,
        'the partitions broker 2 led shown offline and on the cluster timeline',
      );
      expect(offlineShown.rows.sort()).toEqual([...ledByTwo].sort());
      expect(offlineShown.events.sort()).toEqual([...ledByTwo].sort());
      expect(await page.locator('#topics-summary').getAttribute('data-offline')).toBe(String(ledByTwo.length));
      expect(await page.locator('#cluster-events li.cluster-event[data-kind="broker-fenced"][data-broker="2"]').count()).toBe(1);
      await page.screenshot({ path: join(artifacts, 'dashboard-offline.png'), fullPage: true });
    });
  });
});
