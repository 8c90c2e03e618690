import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { estimateMonthlyCost } from '@scia/decider';
import { databaseFromEnv, openDatabase, withClient } from '@scia/rag';
import { buildApps, type App } from './apps.js';
import { ROOT, startPipeline } from './cluster.js';
import { claimFor, deploy, type Deployed } from './deploy.js';
import { Random } from './random.js';
import { PROMPTS, fixable, type Prompt } from './world.js';

const price = (d: { strategy: 'vm' | 'kubernetes' | 'serverless'; config: Record<string, unknown> }): number =>
  estimateMonthlyCost(d.strategy, d.config, { region: 'eu-west-3', policies: [] }).total;

/** Arm is one run of the benchmark: `learning` keeps its memory, `control` wipes it before every deployment. */
export type Arm = 'learning' | 'control';

export interface LearningOptions {
  deployments: number;
  window: number;
  seed: number;
  arms: readonly Arm[];
  /** log receives one line per finished window. */
  log?: (line: string) => void;
}

export interface ArmReport {
  arm: Arm;
  /** accuracy per window: the share of deployments whose first decision was right (see the world's right). */
  windows: number[];
  firstHalf: number;
  secondHalf: number;
  /** secondHalfFixable counts the second half's requests some decision can meet (of), and those right first time. */
  secondHalfFixable: { right: number; of: number; total: number };
  /** redecisions counts deployments whose first decision was wrong and that were decided again; fixed, those whose next decision was right. */
  redecisions: { failed: number; redecided: number; fixed: number };
  /** fixableRedecisions counts the same over failed deployments some decision could have satisfied. */
  fixableRedecisions: { failed: number; redecided: number; fixed: number };
  hardBudgetBroken: number;
  seconds: number;
  deployments: Deployed[];
}

/** writeRepos writes each app's tree under a new temporary directory, returning each app's path. */
export function writeRepos(apps: readonly App[]): { root: string; dirs: Map<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'scia-learning-apps-'));
  const dirs = new Map<string, string>();
  for (const app of apps) {
    const dir = join(root, app.name);
    for (const [file, text] of Object.entries(app.files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    dirs.set(app.name, dir);
  }
  return { root, dirs };
}

/** schedule is the seeded random order of (app, prompt) deployments. */
export function schedule(apps: readonly App[], n: number, r: Random): { app: App; prompt: Prompt }[] {
  return Array.from({ length: n }, () => ({ app: r.pick(apps), prompt: r.pick(PROMPTS) }));
}

async function wipe(dataDir: string): Promise<void> {
  const config = databaseFromEnv({ SCIA_DATA_DIR: dataDir }, ROOT);
  if (!config.ok) throw new Error(config.error);
  const db = await openDatabase(config.value);
  try {
    await withClient(db, (c) => c.query('DELETE FROM deployments'));
  } finally {
    await db.close();
  }
}

async function runArm(arm: Arm, opts: LearningOptions): Promise<ArmReport> {
  const apps = buildApps(new Random(opts.seed));
  const order = schedule(apps, opts.deployments, new Random(opts.seed + 1));
  const team = new Random(opts.seed + 2);
  const repos = writeRepos(apps);
  const pipeline = await startPipeline({ SCIA_RAG_SEED: 'false', SCIA_CALL_BUDGET_MS: '10000' });
  const started = Date.now();
  const deployments: Deployed[] = [];
  try {
    for (const [i, { app, prompt }] of order.entries()) {
      if (arm === 'control') await wipe(pipeline.dataDir);
      const dir = repos.dirs.get(app.name) ?? '';
      deployments.push(await deploy(pipeline, claimFor(app, dir, prompt, i, 'team-a'), app, prompt, fixable(app, prompt, price), team));
      if ((i + 1) % opts.window === 0) {
        const w = deployments.slice(-opts.window);
        opts.log?.(`${arm}: deployments ${i + 2 - opts.window}-${i + 1}: ${pct(accuracy(w))} right first time`);
      }
    }
  } finally {
    await pipeline.close();
    rmSync(repos.root, { recursive: true, force: true });
  }
  return summarize(arm, deployments, opts.window, (Date.now() - started) / 1000);
}

function accuracy(ds: readonly Deployed[]): number {
  return ds.length === 0 ? 0 : ds.filter((d) => d.attempts[0]?.right === true).length / ds.length;
}

function summarize(arm: Arm, deployments: Deployed[], window: number, seconds: number): ArmReport {
  const windows: number[] = [];
  for (let i = 0; i < deployments.length; i += window) windows.push(round(accuracy(deployments.slice(i, i + window))));
  const half = Math.floor(deployments.length / 2);
  const failed = deployments.filter((d) => d.attempts[0]?.right === false);
  const redecided = failed.filter((d) => d.attempts.length >= 2);
  const fixableFailed = failed.filter((d) => d.fixable);
  const fixableRedecided = fixableFailed.filter((d) => d.attempts.length >= 2);
  const second = deployments.slice(half);
  const meetable = second.filter((d) => d.fixable);
  return {
    arm,
    windows,
    firstHalf: round(accuracy(deployments.slice(0, half))),
    secondHalf: round(accuracy(second)),
    secondHalfFixable: { right: meetable.filter((d) => d.attempts[0]?.right === true).length, of: meetable.length, total: second.length },
    redecisions: { failed: failed.length, redecided: redecided.length, fixed: redecided.filter((d) => d.attempts[1]?.right === true).length },
    fixableRedecisions: { failed: fixableFailed.length, redecided: fixableRedecided.length, fixed: fixableRedecided.filter((d) => d.attempts[1]?.right === true).length },
    hardBudgetBroken: deployments.flatMap((d) => d.attempts).filter((a) => a.verdict?.ok === false && a.verdict.hardBudgetBroken).length,
    seconds: Math.round(seconds),
    deployments,
  };
}

/** runLearning runs each arm in turn on the same world and order. */
export async function runLearning(opts: LearningOptions): Promise<ArmReport[]> {
  const out: ArmReport[] = [];
  for (const arm of opts.arms) out.push(await runArm(arm, opts));
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
