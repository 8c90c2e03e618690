import { describe, expect, it } from 'vitest';
import type { Strategy } from '@scia/api';
import { NO_ARTIFACT, casesDigest, decide, deriveFacts, rankByRules, type DecideInput } from '../src/index.js';
import { analysis, input, similarCase, spec } from './fixtures.js';

interface Case {
  reason: string;
  input: DecideInput;
  want: { strategy: Strategy; fired: string[] };
}

const dockerfile = { path: 'Dockerfile' };
const deps = (names: string[]): { name: string; ecosystem: string; manifest: string }[] =>
  names.map((name) => ({ name, ecosystem: 'pypi', manifest: 'requirements.txt' }));
const goodK8s = ['a', 'b', 'c'].map((id) => similarCase({ id, strategy: 'kubernetes', config: { nodeInstanceType: 't3.large' } }));

const cases: Record<string, Case> = {
  'no analysis': {
    reason: 'with nothing known, no rule fires and a VM is the default',
    input: input({ analysis: undefined }),
    want: { strategy: 'vm', fired: [] },
  },
  'compose with services': {
    reason: 'v1: docker compose with several services runs on kubernetes',
    input: input({ analysis: analysis({ framework: 'express', language: 'javascript', dependencyCount: 40, compose: [{ name: 'web' }, { name: 'db' }, { name: 'cache' }] }) }),
    want: { strategy: 'kubernetes', fired: ['compose-multi-service'] },
  },
  'dockerfile and many deps': {
    reason: 'v1: a Dockerfile and many dependencies run on kubernetes',
    input: input({ analysis: analysis({ framework: 'nestjs', language: 'typescript', dependencyCount: 80, dockerfile }) }),
    want: { strategy: 'kubernetes', fired: ['dockerfile-many-deps'] },
  },
  'small fastapi': {
    reason: 'v1: a small FastAPI app is serverless',
    input: input({ analysis: analysis({ framework: 'fastapi', dependencyCount: 6 }) }),
    want: { strategy: 'serverless', fired: ['small-api'] },
  },
  django: {
    reason: 'v1: Django is a VM',
    input: input({ analysis: analysis({ framework: 'django', dependencyCount: 25 }) }),
    want: { strategy: 'vm', fired: ['full-stack-framework'] },
  },
  'rails monolith': {
    reason: 'v1: Rails is a VM',
    input: input({ analysis: analysis({ framework: 'rails', language: 'ruby', dependencyCount: 60 }) }),
    want: { strategy: 'vm', fired: ['full-stack-framework'] },
  },
  worker: {
    reason: 'v1: a worker has no HTTP entry point, a VM runs it',
    input: input({ analysis: analysis({ framework: 'none', kind: 'worker' }) }),
    want: { strategy: 'vm', fired: ['worker-process'] },
  },
  'spring boot': {
    reason: 'v1: JVM apps start slowly on Lambda',
    input: input({ analysis: analysis({ framework: 'spring-boot', language: 'java', dependencyCount: 45 }) }),
    want: { strategy: 'vm', fired: ['full-stack-framework', 'jvm-cold-start'] },
  },
  'monorepo': {
    reason: 'v1: a monorepo of apps runs on kubernetes',
    input: input({ analysis: analysis({ framework: 'express', dependencyCount: 40, monorepo: { tool: 'turbo', apps: ['web', 'api', 'admin'] } }) }),
    want: { strategy: 'kubernetes', fired: ['monorepo-many-apps'] },
  },
  'flask with websockets': {
    reason: 'websockets rule Lambda out even for a small Flask app',
    input: input({ analysis: analysis({ dependencies: deps(['flask', 'python-socketio']) }) }),
    want: { strategy: 'vm', fired: ['small-api', 'websockets-rule-out-lambda'] },
  },
  'websocket hint': {
    reason: 'the analyzer\'s websocket hint counts as much as the dependency',
    input: input({ analysis: analysis({ hints: ['websocket'] }) }),
    want: { strategy: 'vm', fired: ['small-api', 'websockets-rule-out-lambda'] },
  },
  'fastapi with celery': {
    reason: 'background work rules Lambda out',
    input: input({ analysis: analysis({ framework: 'fastapi', dependencies: deps(['fastapi', 'celery']) }) }),
    want: { strategy: 'vm', fired: ['small-api', 'long-running-rule-out-lambda'] },
  },
  'gpu inference': {
    reason: 'a GPU need rules Lambda out and favours a VM',
    input: input({ analysis: analysis({ framework: 'fastapi', dependencies: deps(['fastapi', 'vllm']) }) }),
    want: { strategy: 'vm', fired: ['small-api', 'gpu-needed'] },
  },
  'machine-learning libraries': {
    reason: 'the analyzer\'s heavy-ml hint weighs against Lambda without asking for a GPU',
    input: input({ analysis: analysis({ framework: 'fastapi', hints: ['heavy-ml-dependencies'] }) }),
    want: { strategy: 'vm', fired: ['small-api', 'heavy-ml-dependencies'] },
  },
  'scheduled jobs': {
    reason: 'the analyzer\'s scheduled-jobs hint is background work',
    input: input({ analysis: analysis({ framework: 'express', dependencyCount: 12, hints: ['scheduled-jobs'] }) }),
    want: { strategy: 'vm', fired: ['small-api', 'long-running-rule-out-lambda'] },
  },
  'spiky traffic prompt': {
    reason: 'spiky traffic and lowest cost favour serverless',
    input: input({ spec: spec({ prompt: 'Cheapest possible, spiky traffic at night' }), analysis: analysis({ framework: 'express', language: 'javascript', dependencyCount: 40 }) }),
    want: { strategy: 'serverless', fired: ['prompt-cheapest', 'prompt-spiky-traffic'] },
  },
  'high availability prompt': {
    reason: 'high availability and heavy traffic favour kubernetes',
    input: input({ spec: spec({ prompt: 'Highly available, microservices with high traffic' }), analysis: analysis({ framework: 'express', language: 'javascript', dependencyCount: 40 }) }),
    want: { strategy: 'kubernetes', fired: ['prompt-high-availability', 'prompt-steady-high-traffic'] },
  },
  'small budget': {
    reason: 'a small budget rules out EKS even when compose asks for it',
    input: input({ spec: spec({ budget: { maxMonthlyCost: 50 } }), analysis: analysis({ framework: 'express', dependencyCount: 40, compose: [{ name: 'web' }, { name: 'db' }] }) }),
    want: { strategy: 'vm', fired: ['compose-multi-service', 'small-budget-rules-out-eks'] },
  },
  'similar cases agree': {
    reason: 'three highly similar successful cases on kubernetes win over the small-api rule',
    input: input({ cases: goodK8s }),
    want: { strategy: 'kubernetes', fired: ['small-api', 'similar-cases-agree'] },
  },
  'the same app failed on serverless with cold starts': {
    reason: 'a negative example of the same app with the same intent teaches to avoid Lambda',
    input: input({ cases: [similarCase({ id: 'x', strategy: 'serverless', outcome: 'success', feedback: -1, causes: ['cold-start'], similarity: 0.95 })] }),
    want: { strategy: 'vm', fired: ['small-api', 'learned-avoid'] },
  },
  'an intent-bound failure under another intent': {
    reason: 'cold starts that hurt another request say nothing about this one',
    input: input({ cases: [similarCase({ id: 'x', strategy: 'serverless', outcome: 'failed', causes: ['cold-start'], similarity: 0.95, scoreParts: { similarity: 0.95, intent: 0, outcome: 0, feedback: 0.5, recency: 1, cost: 0.5 } })] }),
    want: { strategy: 'serverless', fired: ['small-api'] },
  },
  'a failure without a known cause': {
    reason: 'an outcome with no cause found teaches no rule (its config is still avoided when it is the deployment\'s own)',
    input: input({ cases: [similarCase({ id: 'x', strategy: 'serverless', outcome: 'failed', failureReason: 'Ready False', similarity: 0.95 })] }),
    want: { strategy: 'serverless', fired: ['small-api'] },
  },
  'own failure on serverless with websockets': {
    reason: 'the deployment\'s own failure always applies',
    input: input({ failures: [{ inputHash: 'a'.repeat(64), strategy: 'serverless', config: { memoryMb: 512 }, causes: ['wrong-strategy'], summary: 'thumbed down by the team' }] }),
    want: { strategy: 'vm', fired: ['small-api', 'learned-avoid'] },
  },
  'low similarity is ignored': {
    reason: 'cases below 0.4 similarity do not count',
    input: input({ cases: goodK8s.map((c) => ({ ...c, similarity: 0.3 })) }),
    want: { strategy: 'serverless', fired: ['small-api'] },
  },
  'same framework at moderate similarity': {
    reason: 'similarity compares the apps\' traits: the same framework alone does not make a case speak for this app',
    input: input({ cases: goodK8s.map((c) => ({ ...c, similarity: 0.5 })) }),
    want: { strategy: 'serverless', fired: ['small-api'] },
  },
  'other framework at moderate similarity': {
    reason: 'a case of another framework needs 0.8',
    input: input({ cases: goodK8s.map((c) => ({ ...c, similarity: 0.5, framework: 'django' })) }),
    want: { strategy: 'serverless', fired: ['small-api'] },
  },
  'thumbed-down cases do not count as good': {
    reason: 'negative feedback turns an agreeing case into a negative example; without a cause it rules nothing out',
    input: input({ cases: goodK8s.map((c) => ({ ...c, feedback: -1 })) }),
    want: { strategy: 'serverless', fired: ['small-api'] },
  },
  'thumbed-down for cost': {
    reason: 'too expensive is no reason to avoid a strategy',
    input: input({ cases: goodK8s.map((c) => ({ ...c, feedback: -1, causes: ['too-expensive' as const], similarity: 0.95 })) }),
    want: { strategy: 'serverless', fired: ['small-api'] },
  },
};

describe('rankByRules', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    const verdict = rankByRules(deriveFacts(c.input));
    const got = { strategy: verdict.ranked[0]?.strategy, fired: verdict.fired.map((f) => f.name) };
    expect(got, c.reason).toEqual(c.want);
  });
});

describe('decide by rules', () => {
  it('names every fired rule in the reason and sizes from the cases it followed', async () => {
    const out = await decide(input({ cases: goodK8s }));
    expect(out).toEqual({
      ok: true,
      warnings: [],
      decision: {
        strategy: 'kubernetes',
        reason:
          'rules chose kubernetes (scores: kubernetes 4, serverless 2, vm 1); fired: small-api (small flask API (8 dependencies); serverless +2); ' +
          'similar-cases-agree (3 of 3 successful cases of similar apps with a similar request ran on kubernetes; kubernetes +4); sizing: sized as the successful cases of the same app that agree (a, b, c)',
        confidence: 0.66,
        config: { nodeInstanceType: 't3.large', minNodes: 2, maxNodes: 4, desiredNodes: 2, replicas: 2, volumeSizeGb: 20 },
        alternativeStrategies: [
          { strategy: 'serverless', reason: 'rules score 2 against 4', confidence: 0.34, estimatedMonthlyCost: 1.87 },
          { strategy: 'vm', reason: 'rules score 1 against 4', confidence: 0.26, estimatedMonthlyCost: 20.43 },
        ],
        estimatedMonthlyCost: 230.52,
        costBreakdown: [
          { item: 'eks control plane', monthly: 73 },
          { item: 'eks nodes: 2 x t3.large', monthly: 121.47 },
          { item: 'ebs gp3 node volumes: 2 x 20 GB', monthly: 3.2 },
          { item: 'service load balancer (classic)', monthly: 18.25 },
          { item: 'public ipv4 addresses: 4', monthly: 14.6 },
        ],
        decidedBy: 'rules',
        inputHash: 'f'.repeat(64),
        cases: ['a', 'b', 'c'].map((id) => ({ id, usedFor: 'sizing', traits: 0.9, intent: 1, outcome: 'success', feedback: 0, causes: [] })),
        evidence: { cases: casesDigest(goodK8s), failures: [] },
        citedCases: ['a', 'b', 'c'],
      },
    });
  });

  it('never chooses serverless for an auto claim without an artifact, and says why in the reason', async () => {
    const out = await decide(input({ spec: spec({ artifact: undefined }), analysis: analysis({ framework: 'fastapi' }) }));
    const withArtifact = await decide(input({ analysis: analysis({ framework: 'fastapi' }) }));
    expect({
      strategy: out.ok && out.decision.strategy,
      alternatives: out.ok && out.decision.alternativeStrategies.map((a) => a.strategy),
      reason: out.ok && out.decision.reason.includes(NO_ARTIFACT),
      withArtifact: withArtifact.ok && withArtifact.decision.strategy,
      withArtifactReason: withArtifact.ok && withArtifact.decision.reason.includes('spec.artifact'),
    }).toEqual({ strategy: 'vm', alternatives: ['kubernetes'], reason: true, withArtifact: 'serverless', withArtifactReason: false });
  });

  it('keeps serverless out of a hard budget\'s candidates without an artifact', async () => {
    const out = await decide(input({ spec: spec({ artifact: undefined, budget: { maxMonthlyCost: 5, enforcementMode: 'hard' } }), analysis: analysis({ framework: 'fastapi' }) }));
    const withArtifact = await decide(input({ spec: spec({ budget: { maxMonthlyCost: 5, enforcementMode: 'hard' } }), analysis: analysis({ framework: 'fastapi' }) }));
    expect({ without: out.ok ? out.decision.strategy : out.error, with: withArtifact.ok ? withArtifact.decision.strategy : withArtifact.error }).toEqual({
      without: `cannot fit the hard budget of $5/month; the cheapest configuration considered (vm: 1 x t3.micro) costs $12.84/month; ${NO_ARTIFACT}`,
      with: 'serverless',
    });
  });

  it('steps up from a configuration that ran out of memory in a similar case', async () => {
    const oom = similarCase({ id: 'oom', strategy: 'serverless', outcome: 'failed', failureReason: 'Runtime exited: out of memory', causes: ['out-of-memory'], similarity: 0.95, config: { memoryMb: 512 } });
    const ok = ['p', 'q'].map((id) => similarCase({ id, strategy: 'serverless', config: { memoryMb: 512 } }));
    const out = await decide(input({ cases: [oom, ...ok] }));
    expect(out.ok && [out.decision.strategy, out.decision.config]).toEqual(['serverless', { memoryMb: 1024, timeoutSeconds: 30 }]);
  });

  it('does not resize an app after one similar case alone', async () => {
    const lone = similarCase({ id: 'big', strategy: 'serverless', config: { memoryMb: 3008 }, similarity: 0.5 });
    const out = await decide(input({ cases: [lone] }));
    expect(out.ok && [out.decision.strategy, out.decision.config]).toEqual(['serverless', { memoryMb: 512, timeoutSeconds: 30 }]);
  });

  it('honours a user-forced strategy and only sizes it', async () => {
    const out = await decide(input({ spec: spec({ strategy: 'kubernetes', prompt: 'high availability' }) }));
    expect(out.ok && [out.decision.strategy, out.decision.decidedBy, out.decision.config]).toEqual([
      'kubernetes',
      'user',
      { nodeInstanceType: 't3.medium', minNodes: 3, maxNodes: 6, desiredNodes: 3, replicas: 3, volumeSizeGb: 20 },
    ]);
  });

  it('lets overrides win over the sizing', async () => {
    const out = await decide(input({ spec: spec({ strategy: 'vm', overrides: { instanceType: 'm5.large', memoryMb: 2048 } }) }));
    expect(out.ok && out.decision.config).toEqual({ instanceType: 'm5.large', volumeSizeGb: 20, minSize: 1, maxSize: 2, desiredCapacity: 1 });
  });
});
