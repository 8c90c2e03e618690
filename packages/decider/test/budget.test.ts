import { describe, expect, it } from 'vitest';
import type { DeploymentConfig, Policy, RequestedStrategy, Strategy } from '@scia/api';
import { INSTANCE_TYPE_NAMES, checkBudget, decide, estimateMaximumMonthlyCost, estimateMonthlyCost, fitHardBudget } from '../src/index.js';
import { analysis, input, spec } from './fixtures.js';

/** mulberry32 is a small seeded generator, so every run checks the same configurations. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRATEGIES: Strategy[] = ['vm', 'kubernetes', 'serverless'];
const REGIONS = ['us-east-1', 'eu-west-3', 'sa-east-1', 'ap-northeast-1'];
const POLICY_SETS: Policy[][] = [[], ['require-https'], ['enable-monitoring'], ['require-https', 'enable-monitoring']];

function randomConfig(rand: () => number, strategy: Strategy): DeploymentConfig {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const n = 1 + Math.floor(rand() * 10);
  if (strategy === 'vm') return { instanceType: pick(INSTANCE_TYPE_NAMES), volumeSizeGb: 8 + Math.floor(rand() * 200), minSize: 1, desiredCapacity: n, maxSize: n + 2 };
  if (strategy === 'kubernetes') return { nodeInstanceType: pick(INSTANCE_TYPE_NAMES.filter((t) => t !== 't3.micro')), minNodes: 1, desiredNodes: n, maxNodes: n + 2, replicas: n };
  return { memoryMb: 128 + Math.floor(rand() * 4000), timeoutSeconds: 30 };
}

describe('hard budget', () => {
  it('never lets an over-budget configuration through (2,000 random cases)', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const region = REGIONS[i % REGIONS.length] ?? 'us-east-1';
      const policies = POLICY_SETS[i % POLICY_SETS.length] ?? [];
      const candidates = STRATEGIES.map((s) => ({ strategy: s, config: randomConfig(rand, s) }));
      const max = Math.round(rand() * 400 * 100) / 100;
      const fit = fitHardBudget(candidates, max, { region, policies });
      if (fit === undefined) continue;
      const again = estimateMonthlyCost(fit.candidate.strategy, fit.candidate.config, { region, policies }).total;
      const worst = estimateMaximumMonthlyCost(fit.candidate.strategy, fit.candidate.config, { region, policies }).total;
      expect({ i, estimate: fit.estimate, ceiling: fit.ceiling, fits: worst <= max }).toEqual({ i, estimate: again, ceiling: worst, fits: true });
    }
  });

  it('decides within the budget or returns an error, never an over-budget decision (300 random claims)', async () => {
    const rand = mulberry32(11);
    const frameworks = ['flask', 'django', 'express', 'spring-boot', 'fastapi'];
    const prompts = ['', 'high availability', 'cheapest', 'spiky traffic', 'high traffic microservices'];
    const strategies: RequestedStrategy[] = ['auto', 'auto', 'vm', 'kubernetes', 'serverless'];
    let decided = 0;
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const maxMonthlyCost = 1 + Math.round(rand() * 300);
      const claim = spec({
        region: REGIONS[i % REGIONS.length] ?? 'us-east-1',
        prompt: prompts[i % prompts.length] ?? '',
        strategy: strategies[i % strategies.length] ?? 'auto',
        policies: POLICY_SETS[i % POLICY_SETS.length] ?? [],
        budget: { maxMonthlyCost, enforcementMode: 'hard' },
      });
      const out = await decide(input({ spec: claim, analysis: analysis({ framework: frameworks[i % frameworks.length] ?? 'flask' }) }));
      if (!out.ok) {
        refused++;
        expect(out.error).toMatch(/^cannot fit the hard budget of \$\d+\/month; the cheapest configuration considered \(/);
        continue;
      }
      decided++;
      const again = estimateMonthlyCost(out.decision.strategy, out.decision.config, { region: claim.region, policies: claim.policies }).total;
      const worst = estimateMaximumMonthlyCost(out.decision.strategy, out.decision.config, { region: claim.region, policies: claim.policies }).total;
      expect({ i, within: worst <= maxMonthlyCost, same: again === out.decision.estimatedMonthlyCost }).toEqual({ i, within: true, same: true });
    }
    // Both branches ran, or the loop proved nothing.
    expect(decided > 50 && refused > 10).toBe(true);
  });

  it('keeps the instance count and downsizes the type first, and says so', async () => {
    const claim = spec({ strategy: 'auto', prompt: 'high availability', budget: { maxMonthlyCost: 30, enforcementMode: 'hard' } });
    const out = await decide(input({ spec: claim, analysis: analysis({ framework: 'flask' }) }));
    expect(out.ok && [out.decision.strategy, out.decision.config, out.decision.estimatedMonthlyCost]).toEqual([
      'vm',
      { instanceType: 't3.micro', volumeSizeGb: 20, minSize: 2, maxSize: 2, desiredCapacity: 2 },
      25.68,
    ]);
    expect(out.ok && out.decision.reason).toMatch(/hard budget \$30\/month: downsized vm to 2 x t3.micro to fit \(\$25\.68 at most\)/);
  });

  it('never downsizes below the app\'s floor: fewer instances first, else a clear refusal', async () => {
    const ha = spec({ strategy: 'auto', prompt: 'high availability', budget: { maxMonthlyCost: 30, enforcementMode: 'hard' } });
    // A Django app needs 1 GB: one t3.small rather than two t3.micro.
    const django = await decide(input({ spec: ha, analysis: analysis({ framework: 'django' }) }));
    const mvp = spec({ strategy: 'auto', prompt: 'MVP', budget: { maxMonthlyCost: 80, enforcementMode: 'hard' } });
    const pip = (...names: string[]): { name: string; ecosystem: string; manifest: string }[] => names.map((name) => ({ name, ecosystem: 'pypi', manifest: 'requirements.txt' }));
    // An ML app that ran out of memory on a t3.small: a type with twice that memory, never the t3.small again.
    const oom = { inputHash: 'a'.repeat(64), strategy: 'vm' as const, config: { instanceType: 't3.small', minSize: 1, maxSize: 2, desiredCapacity: 1 }, causes: ['out-of-memory' as const], summary: 'not ready: asg' };
    const ml = await decide(input({ spec: mvp, analysis: analysis({ framework: 'fastapi', dependencies: pip('fastapi', 'torch') }), failures: [oom] }));
    const gpu = await decide(input({ spec: mvp, analysis: analysis({ framework: 'fastapi', dependencies: pip('fastapi', 'vllm') }) }));
    expect({
      django: django.ok && [django.decision.config.instanceType, django.decision.config.maxSize],
      ml: ml.ok && [ml.decision.strategy, ml.decision.config.instanceType, ml.decision.config.maxSize],
      gpu: gpu.ok ? gpu.decision.config : /^cannot fit the hard budget of \$80\/month; the cheapest configuration considered \(vm: 1 x g4dn\.xlarge\)/.test(gpu.error),
    }).toEqual({
      django: ['t3.small', 1],
      ml: ['vm', 't3.medium', 2],
      gpu: true,
    });
  });

  it('prices a hard budget at the most the autoscaler may run, capping the maximum to fit', async () => {
    const over = { nodeInstanceType: 't3.medium', minNodes: 2, desiredNodes: 2, maxNodes: 10, replicas: 2 };
    const ctx = { region: 'us-east-1', policies: [] };
    const desired = estimateMonthlyCost('kubernetes', over, ctx).total;
    const budget = Math.ceil(desired) + 20;
    const fit = fitHardBudget([{ strategy: 'kubernetes', config: over }], budget, ctx);
    const claim = spec({ strategy: 'kubernetes', overrides: over, budget: { maxMonthlyCost: budget, enforcementMode: 'hard' } });
    const out = await decide(input({ spec: claim }));
    const decided = out.ok ? out.decision.config : undefined;
    expect({
      desiredFits: desired <= budget,
      tenNodesFit: estimateMaximumMonthlyCost('kubernetes', over, ctx).total <= budget,
      capped: (fit?.candidate.config.maxNodes ?? 10) < 10,
      fitWithin: (fit?.ceiling ?? Infinity) <= budget,
      decidedAsFitted: decided?.maxNodes === fit?.candidate.config.maxNodes && decided?.nodeInstanceType === fit?.candidate.config.nodeInstanceType,
      decidedWithin: decided === undefined ? false : estimateMaximumMonthlyCost('kubernetes', decided, ctx).total <= budget,
    }).toEqual({ desiredFits: true, tenNodesFit: false, capped: true, fitWithin: true, decidedAsFitted: true, decidedWithin: true });
  });

  it('refuses a forced strategy that cannot fit, before asking any model', async () => {
    let asked = 0;
    const model = { model: 'm', propose: () => { asked++; return Promise.resolve({ ok: false as const, error: 'unused' }); } };
    const claim = spec({ strategy: 'kubernetes', budget: { maxMonthlyCost: 50, enforcementMode: 'hard' } });
    const out = await decide(input({ spec: claim }), { model });
    expect({ out, asked }).toEqual({
      out: {
        ok: false,
        error: 'cannot fit the hard budget of $50/month; the cheapest configuration considered (kubernetes: 1 x t3.small node) costs $118.98/month',
        warnings: [],
      },
      asked: 0,
    });
  });
});

describe('checkBudget', () => {
  const cases = {
    'no budget': { reason: 'no budget, no verdict', estimate: 100, budget: undefined, want: undefined },
    'within threshold': {
      reason: '150 is under 0.8 x 200',
      estimate: 150,
      budget: { maxMonthlyCost: 200, alertThreshold: 0.8, enforcementMode: 'soft' as const },
      want: { exceeded: false, message: 'estimated $150.00/month is within 80% of the $200 budget' },
    },
    'past threshold': {
      reason: '170 passes 0.8 x 200 = 160',
      estimate: 170,
      budget: { maxMonthlyCost: 200, alertThreshold: 0.8, enforcementMode: 'soft' as const },
      want: { exceeded: true, message: 'estimated $170.00/month passes 80% of the $200 budget ($160.00)' },
    },
    'exactly at threshold': {
      reason: 'the threshold itself is not exceeded',
      estimate: 160,
      budget: { maxMonthlyCost: 200, alertThreshold: 0.8, enforcementMode: 'soft' as const },
      want: { exceeded: false, message: 'estimated $160.00/month is within 80% of the $200 budget' },
    },
  };
  it.each(Object.entries(cases))('%s', (_, c) => {
    expect(checkBudget(c.estimate, c.budget), c.reason).toEqual(c.want);
  });
});
