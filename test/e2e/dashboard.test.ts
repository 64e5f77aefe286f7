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
  const consumers: RunningCommand[] = [];

  beforeAll(async () => {
    const basePort = await freeBasePort(5);
    cluster = await startCluster({ dataDir: dataDir.path, basePort, extraArgs: ['--dashboard', String(basePort + 3)] });
    dashboardUrl = await eventually(async () => /^dashboard: (\S+)$/m.exec(cluster.output().stdout)?.[1], 30_000, 'cluster up prints the dashboard URL');
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
      const answer = (await (await fetch(`${url}api/cluster`)).json()) as { brokers: Array<{ id: number; alive: boolean; controller: boolean }>; topics: Array<{ name: string; partitions: unknown[] }> };
      expect(answer.brokers).toMatchObject([{ id: 0, alive: true, controller: true }, { id: 1, alive: true, controller: false }, { id: 2, alive: true, controller: false }]);
      expect(answer.topics.find((entry) => entry.name === topic)?.partitions).toHaveLength(partitionCount);
      expect((await fetch(`${url}api/groups/nobody`)).status).toBe(404);
      expect((await fetch(`${url}api/cluster`, { method: 'POST' })).status).toBe(405);
    } finally {
      dashboard.kill('SIGKILL');
    }
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
      for (let index = 0; index < 2; index += 1) {
        consumers.push(
          startCommand(['consume', topic, '--group', group, '--from-beginning', '--json', '--events', '--session-timeout-ms', '6000', '--heartbeat-interval-ms', '500', '--bootstrap-server', cluster.bootstrap]),
        );
      }
      const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
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
      await page.screenshot({ path: join(artifacts, 'dashboard-stable.png'), fullPage: true });

      // Both consumers run the same command; whichever is killed, the page must show the other one take over.
      const memberIds = stable.members.map((member) => member.id);
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
      await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
      // The JSON the page drew from, as a script reads it.
      const described = (await (await fetch(`${dashboardUrl}api/groups/${group}`)).json()) as { state: string; members: unknown[]; rebalances: Array<{ trigger: string }> };
      expect([described.state, described.members.length]).toEqual(['Stable', 1]);
      expect(described.rebalances.map((record) => record.trigger)).toContain('session-timeout');
    });
  });
});
