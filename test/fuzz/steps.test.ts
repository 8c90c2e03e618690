import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzStep, startFuzzPipeline, type FuzzPipeline, type Step } from '../support/fuzz-pipeline.js';

/**
 * Seeded fuzzing of every step over gRPC: requests the pipeline really sends,
 * mutated. Each must get an answer with its tag: no RPC error, no hang, no
 * exception caught by the server's catch-all, and no Fatal that does not name
 * the field it refuses (a request without an observed composite and a label
 * value that is not a string are Fatal by design: Crossplane and Kubernetes
 * never send them, and the message names the field). FUZZ_COUNT and FUZZ_SEED change
 * the run (scripts/fuzz.sh runs 100,000 per step); FUZZ_STEPS picks steps.
 */
// CI runs a few thousand per step; a developer's `npm test` a few hundred.
const COUNTS: Record<Step, number> = process.env['CI'] === 'true'
  ? { analyze: 2000, retrieve: 1000, decide: 1500, 'render-aws': 2000, record: 1000 }
  : { analyze: 300, retrieve: 200, decide: 300, 'render-aws': 400, record: 200 };
const count = (step: Step): number => Number(process.env['FUZZ_COUNT'] ?? COUNTS[step]);
const seed = Number(process.env['FUZZ_SEED'] ?? 20_260_101);
const steps = (process.env['FUZZ_STEPS']?.split(',') ?? Object.keys(COUNTS)) as Step[];

let pipeline: FuzzPipeline;
beforeAll(async () => {
  pipeline = await startFuzzPipeline();
}, 300_000);
afterAll(() => pipeline.close());

describe('fuzzing every step over gRPC', () => {
  it.each(steps)('%s answers every fuzzed request', async (step) => {
    const started = Date.now();
    const tally = await fuzzStep(pipeline, step, { seed: seed + steps.indexOf(step), count: count(step), ...(count(step) >= 20_000 ? { progressEvery: 10_000 } : {}) });
    const seconds = (Date.now() - started) / 1000;
    const fatalBy = Object.entries(tally.fatalBy).sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`fuzz ${step}: ${JSON.stringify({ ...tally, fatalBy, seconds, perSecond: Math.round(tally.requests / seconds) })}`);
    expect({ requests: tally.requests, answered: tally.answered, thrown: tally.thrown, unnamed: tally.unnamed, rpcErrors: tally.rpcErrors, hangs: tally.hangs, badTag: tally.badTag, examples: tally.examples }).toEqual({
      requests: count(step),
      answered: count(step),
      thrown: 0,
      unnamed: 0,
      rpcErrors: 0,
      hangs: 0,
      badTag: 0,
      examples: [],
    });
  }, 3_600_000);
});
