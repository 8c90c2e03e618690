import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDatabase } from '../support/postgres.js';
import { startFunctionProcess, type FunctionProcess } from '../support/processes.js';
import { NOW, STEPS, reachSteady, type Step } from '../pipeline/steady.js';

// Compiled to bench/dist/<dir>/: the repository is three levels up.
const root = join(import.meta.dirname, '..', '..', '..');

/**
 * steadyRequests returns the requests each step receives on a steady
 * reconcile of the auto-decision claim (bench/pipeline/steady.ts): read from
 * `dir` when given (as saveRequests wrote them), else reached by serving
 * SCIA's five functions as processes for the time it takes.
 */
export async function steadyRequests(dir: string | undefined, say: (line: string) => void): Promise<Record<Step, Buffer>> {
  if (dir !== undefined) return Object.fromEntries(STEPS.map((s) => [s, readFileSync(join(dir, `${s}.bin`))])) as Record<Step, Buffer>;
  const db = await benchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-bench-codec-'));
  try {
    if (typeof db === 'string') say(`${db}; the store steps use PGlite each`);
    return await servedSteadyRequests(dataDir, typeof db === 'string' ? undefined : db.url, say);
  } finally {
    if (typeof db !== 'string') db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** stepEnv is the environment a step's binary is served with for the benches: the bench clock, local repositories, its data directory and store. */
export function stepEnv(step: Step, dataDir: string, url: string | undefined): NodeJS.ProcessEnv {
  const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCIA_')));
  return { ...keep, SCIA_NOW: NOW, SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_DATA_DIR: join(dataDir, step), ...(url === undefined ? {} : { SCIA_DATABASE_URL: url }) };
}

/**
 * servedSteadyRequests serves SCIA's five functions as processes (stepEnv:
 * data under `dataDir`, the store at `url` or PGlite), reconciles the claim
 * until steady, stops them and returns each step's steady request. The store
 * and data stay, for a caller that builds the functions again on them.
 */
export async function servedSteadyRequests(dataDir: string, url: string | undefined, say: (line: string) => void): Promise<Record<Step, Buffer>> {
  say('starting the functions and reconciling the claim until steady');
  const started: FunctionProcess[] = [];
  try {
    for (const step of STEPS) started.push(await startFunctionProcess(`scia ${step}`, join(root, 'functions', step, 'dist', 'main.js'), stepEnv(step, dataDir, url), { cwd: root }));
    const steady = await reachSteady(Object.fromEntries(STEPS.map((s, i) => [s, started[i]?.address ?? ''])) as Record<Step, string>);
    return Object.fromEntries(STEPS.map((s) => [s, Buffer.from(steady.requests[s])])) as Record<Step, Buffer>;
  } finally {
    for (const p of started) await p.stop();
  }
}

/** saveRequests writes each step's request to `dir` as `<step>.bin`, for steadyRequests to read back. */
export function saveRequests(dir: string, requests: Record<Step, Buffer>): void {
  mkdirSync(dir, { recursive: true });
  for (const s of STEPS) writeFileSync(join(dir, `${s}.bin`), requests[s]);
}
