import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '@scia/decider';
import { runLearning } from '../bench/learning/run.js';

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
    const failedFirst = learning.deployments.filter((d) => d.attempts[0]?.verdict.ok === false);
    expect({
      sameOrder: JSON.stringify(order(learning)) === JSON.stringify(order(control)),
      windows: [learning.windows.length, control.windows.length],
      hardBudgetBroken: learning.hardBudgetBroken + control.hardBudgetBroken,
      bounded: learning.deployments.every((d) => d.attempts.length <= MAX_ATTEMPTS),
      everyFailureRedecided: failedFirst.every((d) => d.attempts.length >= 2),
    }).toEqual({ sameOrder: true, windows: [2, 2], hardBudgetBroken: 0, bounded: true, everyFailureRedecided: true });
  }, 300_000);
});
