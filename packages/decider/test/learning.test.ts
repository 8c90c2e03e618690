import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailedAttempt, SimilarCase } from '@scia/api';
import { reply, startOllamaServer, type OllamaServer } from '../../../test/support/ollama-server.js';
import { createOllamaDecider, decide, usableMb } from '../src/index.js';
import { analysis, input, similarCase, spec } from './fixtures.js';

const sameApp = (over: Partial<SimilarCase> & { id: string }): SimilarCase => similarCase({ similarity: 0.95, ...over });
const pip = (...names: string[]): { name: string; ecosystem: string; manifest: string }[] => names.map((name) => ({ name, ecosystem: 'pypi', manifest: 'requirements.txt' }));
const torch = analysis({ dependencies: pip('fastapi', 'torch'), framework: 'fastapi' });
const vllm = analysis({ dependencies: pip('fastapi', 'vllm'), framework: 'fastapi' });
const failed = (over: Partial<FailedAttempt>): FailedAttempt => ({ inputHash: 'a'.repeat(64), strategy: 'vm', config: {}, causes: [], summary: 'not ready: asg', ...over });

async function chosen(...args: Parameters<typeof decide>): Promise<[string, Record<string, unknown>] | string> {
  const out = await decide(...args);
  return out.ok ? [out.decision.strategy, out.decision.config] : out.error;
}

describe('learning from negatives', () => {
  it('lets a thumbs-down on the same app change the next decision, and cites it', async () => {
    const before = await decide(input());
    const down = sameApp({ id: 'team-a/api@0123456789ab', strategy: 'serverless', outcome: 'success', feedback: -1, causes: ['wrong-strategy'] });
    const after = await decide(input({ cases: [down] }));
    expect({
      before: before.ok && before.decision.strategy,
      after: after.ok && after.decision.strategy,
      cited: after.ok && after.decision.cases,
    }).toEqual({
      before: 'serverless',
      after: 'vm',
      cited: [{ id: 'team-a/api@0123456789ab', usedFor: 'avoid', traits: 0.95, intent: 1, outcome: 'success', feedback: -1, causes: ['wrong-strategy'] }],
    });
  });

  it('never sizes a GPU app from CPU cases', async () => {
    const cpu = ['a', 'b', 'c'].map((id) => sameApp({ id, strategy: 'vm', config: { instanceType: 't3.small' } }));
    expect(await chosen(input({ analysis: vllm, cases: cpu }))).toEqual(['vm', expect.objectContaining({ instanceType: 'g4dn.xlarge' })]);
  });

  it('never sizes a machine-learning app below its floor from smaller cases', async () => {
    const small = ['a', 'b', 'c'].map((id) => sameApp({ id, strategy: 'vm', config: { instanceType: 't3.small' } }));
    const got = await chosen(input({ analysis: torch, cases: small, spec: spec({ strategy: 'vm' }) }));
    expect(got).toEqual(['vm', expect.objectContaining({ instanceType: 't3.large' })]);
  });

  it('steps up past the memory an own attempt ran out of, and learns a GPU from a comment', async () => {
    const oom = failed({ config: { instanceType: 't3.large' }, causes: ['out-of-memory'] });
    const stepped = await chosen(input({ analysis: torch, failures: [oom], spec: spec({ strategy: 'vm' }) }));
    const type = Array.isArray(stepped) ? String(stepped[1]['instanceType']) : '';
    const gpu = await chosen(input({ analysis: torch, failures: [failed({ config: { instanceType: 't3.large' }, causes: ['needs-gpu'] })] }));
    expect({
      more: usableMb('vm', { instanceType: type }) > usableMb('vm', { instanceType: 't3.large' }),
      gpu,
    }).toEqual({ more: true, gpu: ['vm', expect.objectContaining({ instanceType: 'g4dn.xlarge' })] });
  });

  it('never chooses again a size that failed for want of capacity, whatever the cause text', async () => {
    const unknown = failed({ strategy: 'serverless', config: { memoryMb: 512 }, causes: [] });
    expect(await chosen(input({ failures: [unknown] }))).toEqual(['serverless', { memoryMb: 1024, timeoutSeconds: 30 }]);
  });

  it('gives a Lambda twice the memory a similar app ran out with on a VM, even above its own floor', async () => {
    // A torch app (floor 3 GB) ran out of memory with a t3.small's 1.6 GB usable: a Lambda needs at least 3.2 GB.
    const oom = sameApp({ id: 'team-a/ml@0123456789ab', strategy: 'vm', config: { instanceType: 't3.small' }, outcome: 'failed', causes: ['out-of-memory'] });
    const got = await chosen(input({ analysis: torch, cases: [oom], spec: spec({ strategy: 'serverless' }) }));
    expect(got).toEqual(['serverless', expect.objectContaining({ memoryMb: 4096 })]);
  });

  it('takes an intent-bound lesson only from a similar request', async () => {
    const cold = (intent: number): SimilarCase => sameApp({
      id: 'x', strategy: 'serverless', outcome: 'failed', causes: ['cold-start'],
      scoreParts: { similarity: 0.95, intent, outcome: 0, feedback: 0, recency: 1, cost: 0.5 },
    });
    expect([await chosen(input({ cases: [cold(1)] })), await chosen(input({ cases: [cold(0.2)] }))].map((c) => c[0])).toEqual(['vm', 'serverless']);
  });
});

describe('budgets hold for models too', () => {
  let server: OllamaServer;
  const lavish = { strategy: 'vm', reason: 'lots of headroom', confidence: 0.9, config: { instanceType: 'm5.4xlarge', minSize: 20, desiredCapacity: 20, maxSize: 20 }, alternativeStrategies: [], citedCases: [] };
  beforeAll(async () => {
    server = await startOllamaServer({ chat: () => reply.json(lavish) });
  });
  afterAll(() => server.close());

  it('re-sizes a model proposal over a soft budget to the cheapest config that meets the floor', async () => {
    const model = createOllamaDecider({ host: server.url, model: 'm' });
    const out = await decide(input({ spec: spec({ budget: { maxMonthlyCost: 200 } }) }), { model });
    expect(out.ok && { strategy: out.decision.strategy, cost: out.decision.estimatedMonthlyCost <= 200, type: out.decision.config.instanceType, warnings: out.warnings })
      .toEqual({ strategy: 'vm', cost: true, type: 't3.micro', warnings: [] });
  });

  it('warns, and keeps the proposal, when nothing that meets the floor fits', async () => {
    const model = createOllamaDecider({ host: server.url, model: 'm' });
    const out = await decide(input({ analysis: vllm, spec: spec({ budget: { maxMonthlyCost: 50 }, strategy: 'vm' }) }), { model });
    expect(out.ok && { type: out.decision.config.instanceType, warnings: out.warnings }).toEqual({
      type: 'g4dn.xlarge',
      warnings: [expect.stringMatching(/^no configuration that meets the app's floor fits the soft budget of \$50\/month; keeping vm 1 x g4dn\.xlarge/)],
    });
  });
});
