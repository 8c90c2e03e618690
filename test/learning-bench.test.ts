import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '@scia/decider';
import { rmSync } from 'node:fs';
import { buildApps } from '../bench/learning/apps.js';
import { startPipeline } from '../bench/learning/cluster.js';
import { claimFor, deploy } from '../bench/learning/deploy.js';
import { Random } from '../bench/learning/random.js';
import { runLearning, writeRepos } from '../bench/learning/run.js';
import { PROMPTS, right, type Said, type Verdict } from '../bench/learning/world.js';

/**
 * The learning benchmark (`npm run bench:learning`) at a small size: its
 * world, its deployments through the five functions over gRPC, its two arms.
 * Figures belong to the benchmark; this checks that it measures what it says.
 */
describe('learning benchmark', () => {
  it('runs both arms on the same world and order, re-deciding failures within bounds, never over a hard budget', async () => {
    const [learning, control] = await runLearning({ deployments: 16, window: 8, seed: 11, arms: ['learning', 'control'] });
    if (learning === undefined || control === undefined) throw new Error('an arm is missing');
    const order = (r: typeof learning): string[] => r.deployments.map((d) => `${d.app}/${d.prompt}`);
    const failedFirst = learning.deployments.filter((d) => d.attempts[0]?.verdict?.ok === false);
    expect({
      sameOrder: JSON.stringify(order(learning)) === JSON.stringify(order(control)),
      windows: [learning.windows.length, control.windows.length],
      hardBudgetBroken: learning.hardBudgetBroken + control.hardBudgetBroken,
      bounded: learning.deployments.every((d) => d.attempts.length <= MAX_ATTEMPTS),
      everyFailureRedecided: failedFirst.every((d) => d.attempts.length >= 2),
    }).toEqual({ sameOrder: true, windows: [2, 2], hardBudgetBroken: 0, bounded: true, everyFailureRedecided: true });
  }, 300_000);

  it('lets a thumbs-down failure change the next similar claim\'s decision, and cites it', async () => {
    // express-5 holds websockets through express-ws, which the analysis does not know: only the team sees Lambda drop them.
    const app = buildApps(new Random(7)).find((a) => a.name === 'express-5');
    const [admin, demo] = ['admin', 'demo'].map((id) => PROMPTS.find((p) => p.id === id));
    if (app === undefined || admin === undefined || demo === undefined) throw new Error('the world has changed');
    const repos = writeRepos([app]);
    const dir = repos.dirs.get(app.name) ?? '';
    const pipeline = await startPipeline({ SCIA_RAG_SEED: 'false', SCIA_CALL_BUDGET_MS: '10000' });
    try {
      const first = await deploy(pipeline, claimFor(app, dir, admin, 0, 'team-a'), app, admin, true, new Random(1));
      const next = await deploy(pipeline, claimFor(app, dir, demo, 1, 'team-a'), app, demo, true, new Random(2));
      const said = (a: (typeof first.attempts)[number]): string[] => [a.strategy, a.verdict?.ok === true ? 'ok' : a.verdict?.cause ?? 'refused'];
      expect({
        first: first.attempts.map(said),
        next: next.attempts.map(said),
        cited: next.attempts[0]?.cases.filter((c) => /^team-a\/express-5-admin-0@[0-9a-f]{12} \(avoid\)$/.test(c)).length,
      }).toEqual({ first: [['serverless', 'websockets'], ['vm', 'ok']], next: [['vm', 'ok']], cited: 1 });
    } finally {
      await pipeline.close();
      rmSync(repos.root, { recursive: true, force: true });
    }
  }, 120_000);

  const ok: Verdict = { ok: true };
  const fail = (cause: 'no-gpu' | 'over-budget'): Verdict => ({ ok: false, cause, inCluster: cause === 'no-gpu', hardBudgetBroken: false });
  const quiet: Said = { cannotFit: false };
  const warned: Said = { cannotFit: true };
  const refused: Said = { refused: 'pipeline step "function-scia-decide" returned a fatal result: cannot fit the hard budget of $80/month', cannotFit: true };
  const cases: Record<string, { reason: string; verdict: Verdict | undefined; fixable: boolean; said: Said; want: boolean }> = {
    meetable: { reason: 'a request some decision meets is right when the decision passes', verdict: ok, fixable: true, said: quiet, want: true },
    meetableFailed: { reason: 'and wrong when it fails, warned or not', verdict: fail('over-budget'), fixable: true, said: warned, want: false },
    meetableRefused: { reason: 'refusing a request some decision meets is wrong', verdict: undefined, fixable: true, said: refused, want: false },
    impossibleRefused: { reason: 'refusing an impossible request, saying the budget cannot be met, is right', verdict: undefined, fixable: false, said: refused, want: true },
    impossibleWarned: { reason: 'so is warning that nothing fits and deploying what runs, over budget', verdict: fail('over-budget'), fixable: false, said: warned, want: true },
    impossibleQuiet: { reason: 'going over the budget without a word is wrong', verdict: fail('over-budget'), fixable: false, said: quiet, want: false },
    impossibleCrash: { reason: 'deploying what crashes is wrong, whatever was said', verdict: fail('no-gpu'), fixable: false, said: warned, want: false },
  };
  it.each(Object.entries(cases))('scores %s', (_, c) => {
    expect({ reason: c.reason, right: right(c.verdict, c.fixable, c.said) }).toEqual({ reason: c.reason, right: c.want });
  });
});
