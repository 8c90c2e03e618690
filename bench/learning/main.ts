import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chartSvg } from './chart.js';
import { ROOT } from './cluster.js';
import { pct, runLearning, type Arm, type ArmReport } from './run.js';

/**
 * `npm run bench:learning [-- --deployments N] [--window W] [--seed S] [--svg PATH] [--json]`:
 * runs the learning benchmark (see README "How SCIA learns") and prints accuracy per window
 * for the learning memory and the empty-memory control, writing the chart to PATH
 * (docs/learning.svg by default; `--svg none` writes none).
 */
function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? undefined : process.argv[i + 1];
  return v ?? fallback;
}

function int(name: string, fallback: number): number {
  const v = Number(flag(name, String(fallback)));
  if (!Number.isInteger(v) || v <= 0) throw new Error(`cannot read --${name}: want a positive integer, got ${flag(name, '')}`);
  return v;
}

function table(reports: readonly ArmReport[], window: number): string {
  const rows = [['window', ...reports.map((r) => r.arm)]];
  const n = Math.max(...reports.map((r) => r.windows.length));
  for (let i = 0; i < n; i++) rows.push([`${i * window + 1}-${(i + 1) * window}`, ...reports.map((r) => (r.windows[i] === undefined ? '' : pct(r.windows[i] ?? 0)))]);
  rows.push(['first half', ...reports.map((r) => pct(r.firstHalf))], ['second half', ...reports.map((r) => pct(r.secondHalf))]);
  rows.push(['  meetable requests', ...reports.map((r) => `${r.secondHalfFixable.right}/${r.secondHalfFixable.of} (of ${r.secondHalfFixable.total})`)]);
  rows.push(['re-decision right', ...reports.map((r) => `${r.redecisions.fixed}/${r.redecisions.redecided} (of ${r.redecisions.failed} failed)`)]);
  rows.push(['  when fixable', ...reports.map((r) => `${r.fixableRedecisions.fixed}/${r.fixableRedecisions.redecided} (of ${r.fixableRedecisions.failed} failed)`)]);
  rows.push(['hard budget broken', ...reports.map((r) => String(r.hardBudgetBroken))], ['seconds', ...reports.map((r) => String(r.seconds))]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<void> {
  const deployments = int('deployments', 200);
  const window = int('window', 20);
  const seed = int('seed', 7);
  const svg = flag('svg', 'docs/learning.svg');
  const json = process.argv.includes('--json');
  const arms: Arm[] = ['learning', 'control'];
  const reports = await runLearning({ deployments, window, seed, arms, log: (l) => process.stderr.write(`${l}\n`) });
  if (svg !== 'none') {
    const path = resolve(ROOT, svg);
    mkdirSync(dirname(path), { recursive: true });
    const title = `SCIA learning benchmark: ${deployments} deployments, seed ${seed}`;
    writeFileSync(path, chartSvg(title, window, [
      { name: 'learning memory', colour: '#1f77b4', values: reports[0]?.windows ?? [] },
      { name: 'empty memory', colour: '#d62728', values: reports[1]?.windows ?? [] },
    ]));
  }
  if (json) process.stdout.write(`${JSON.stringify(reports.map(({ deployments: d, ...r }) => ({ ...r, deployments: d.map((x) => ({ app: x.app, prompt: x.prompt, phase: x.phase, fixable: x.fixable, attempts: x.attempts.map((a) => ({ verdict: a.verdict === undefined ? 'refused' : a.verdict.ok ? 'ok' : a.verdict.cause, right: a.right, cannotFit: a.said.cannotFit, strategy: a.strategy, config: a.config, cost: a.costMonthly, reason: a.reason, cases: a.cases })) })) })), null, 2)}\n`);
  else process.stdout.write(`${table(reports, window)}\n`);
}

await main();
