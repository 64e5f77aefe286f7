import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../model.js';
import { summarize } from './summary.js';
import { syntheticResult } from './synthetic-result.js';
import { writeReport } from './write-report.js';

const temporaryDirs: string[] = [];

async function reportDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kactor-report-'));
  temporaryDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('writeReport', () => {
  const result = syntheticResult();
  let outDir = '';
  let files: string[] = [];
  const read = (file: string) => readFile(join(outDir, file), 'utf8');

  beforeAll(async () => {
    outDir = join(await reportDir(), 'results', 'nested');
    ({ files } = await writeReport(result, outDir, { source: 'experiments/synthetic.yaml' }));
  }, 30_000);

  it('creates the folder and lists every file it wrote, relative to it', () => {
    expect(files).toEqual([
      'runs/classic-eager-seed-1.json',
      'runs/classic-eager-seed-2.json',
      'runs/classic-eager-seed-3.json',
      'runs/consumer-seed-1.json',
      'runs/consumer-seed-2.json',
      'runs/consumer-seed-3.json',
      'runs.csv',
      'series.csv',
      'rebalances.csv',
      'summary.json',
      'plots/metric-rebalance_time_ms.svg',
      'plots/metric-records_processed_twice.svg',
      'plots/metric-throughput_records_per_s.svg',
      'plots/throughput.svg',
      'plots/lag.svg',
      'plots/rebalance-time.svg',
      'report.md',
    ]);
  });

  it('writes each run in full as JSON that reads back to the same result', async () => {
    const run = JSON.parse(await read('runs/classic-eager-seed-2.json')) as RunResult;
    expect(run).toEqual(result.runs[1]);
  });

  it('writes the CSVs with their headings and a row per run, second and rebalance', async () => {
    const runs = (await read('runs.csv')).trimEnd().split('\n');
    expect(runs[0]!.startsWith('case,variant,seed,traceHash,simulatedMs,wallMs,rebalances,')).toBe(true);
    expect(runs[0]!.endsWith(',violations')).toBe(true);
    expect(runs).toHaveLength(7);
    const series = (await read('series.csv')).trimEnd().split('\n');
    expect(series[0]).toBe('case,variant,seed,timeMs,produced,consumed,lag');
    expect(series).toHaveLength(19);
    const rebalances = (await read('rebalances.csv')).trimEnd().split('\n');
    expect(rebalances[0]!.startsWith('case,variant,seed,group,trigger,triggerMs,stableMs,')).toBe(true);
    expect(rebalances).toHaveLength(13);
  });

  it('writes the summaries as JSON that reads back to the same numbers', async () => {
    expect(JSON.parse(await read('summary.json'))).toEqual(summarize(result));
  });

  it('writes SVG plots that name the variants', async () => {
    for (const file of files.filter((name) => name.endsWith('.svg'))) {
      const svg = await read(file);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('classic-eager');
      expect(svg).toContain('consumer');
    }
  });

  it('writes report.md with what ran, the speed-up, the tables, the plots embedded and how to reproduce', async () => {
    const report = await read('report.md');
    expect(report.startsWith('# synthetic\n\nTwo variants, three seeds, made up for the report tests.\n')).toBe(true);
    expect(report).toContain('- 6 runs: 2 variants x 3 seeds.');
    expect(report).toContain('3.0 s per run, 18.0 s in all; wall-clock time: 1.5 s; 12x faster than real time.');
    expect(report).toContain('| classic-eager | 1.5 s | 12.0 s | 12.0 s | 3 |');
    for (const file of files.filter((name) => name.endsWith('.svg'))) expect(report).toContain(`](${file})`);
    expect(report).toContain(`pnpm kactor experiment run experiments/synthetic.yaml --seeds 3 --variants classic-eager,consumer --out ${outDir}`);
  });

  it('lists each violation with its seed, variant and the command that replays the run', async () => {
    const report = await read('report.md');
    expect(report).toContain('- Checkers: 1 run with violations (see [Violations](#violations)).');
    expect(report).toContain('- seed 2, variant `classic-eager`:\n  - **duplicated**: orders-0 offset 17 processed twice');
    expect(report).toContain('  pnpm kactor experiment replay experiments/synthetic.yaml --seed 2 --variant classic-eager\n');
  });
});

describe('writeReport with cases', () => {
  it('names run files by case, puts the case in the replay commands, and defaults the source to the scenario name', async () => {
    const outDir = await reportDir();
    const { files } = await writeReport(syntheticResult({ cases: true }), outDir, { quick: true });
    expect(files).toContain('runs/large-consumer-seed-3.json');
    const report = await readFile(join(outDir, 'report.md'), 'utf8');
    expect(report).toContain('- 12 runs: 2 cases x 2 variants x 3 seeds.');
    expect(report).toContain('pnpm kactor experiment replay synthetic --seed 2 --variant classic-eager --case small --quick');
    expect(report).toContain('pnpm kactor experiment replay synthetic --seed 2 --variant classic-eager --case large --quick');
    const svg = await readFile(join(outDir, 'plots/metric-rebalance_time_ms.svg'), 'utf8');
    expect(svg).toContain('small');
    expect(svg).toContain('large');
  }, 30_000);

  it('writes the same plots, byte for byte, for the same result', async () => {
    const [first, second] = [await reportDir(), await reportDir()];
    await writeReport(syntheticResult({ cases: true }), first);
    const { files } = await writeReport(syntheticResult({ cases: true }), second);
    for (const file of files.filter((name) => name.endsWith('.svg') || name.endsWith('.csv') || name.endsWith('.json'))) {
      expect(await readFile(join(second, file), 'utf8'), file).toBe(await readFile(join(first, file), 'utf8'));
    }
  }, 30_000);

  it('says so when no checker found a violation', async () => {
    const clean = syntheticResult();
    for (const run of clean.runs) run.violations = [];
    const outDir = await reportDir();
    await writeReport(clean, outDir);
    const report = await readFile(join(outDir, 'report.md'), 'utf8');
    expect(report).toContain('## Violations\n\nNo checker found a violation in any run.');
    expect(report).toContain('- Checkers: no violation in any run.');
  }, 30_000);
});
