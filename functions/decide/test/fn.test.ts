import { SingleFlight } from '@scia/runtime';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Severity, Status } from '@crossplane-org/function-sdk-typescript';
import { DeploymentSpec } from '@scia/api';
import { decide } from '@scia/decider';
import { decisionPinned } from '@scia/function-retrieve';
import { FileDecisionCache, LayeredDecisionCache, MemoryDecisionCache, modelSource, runFunction, type DecideDeps } from '../src/index.js';
import { reply, startOllamaServer, type OllamaServer, type Reply } from '../../../test/support/ollama-server.js';
import { decisionOf, desiredStatusOf, outcome, request } from './request.js';

const answer = {
  strategy: 'vm',
  reason: 'A small Flask API with steady traffic.',
  confidence: 0.7,
  config: { instanceType: 't3.small', minSize: 1, desiredCapacity: 1, maxSize: 2 },
  alternativeStrategies: [],
  citedCases: [],
};

let server: OllamaServer;
let dir: string;
beforeAll(async () => {
  server = await startOllamaServer();
  dir = await mkdtemp(join(tmpdir(), 'scia-decide-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.chatCalls.length = 0;
  server.chat(() => reply.json(answer));
});

function deps(over: Partial<DecideDeps> & { host?: string | undefined; cacheDir?: string } = {}): DecideDeps {
  const slow = new FileDecisionCache(join(over.cacheDir ?? dir, String(Math.random())));
  return {
    decide: (input, model) => decide(input, { model }),
    modelFor: modelSource({ host: 'host' in over ? over.host : server.url, model: 'qwen2.5-coder:7b', timeoutMs: 2000 }),
    cache: new LayeredDecisionCache(new MemoryDecisionCache(), over.cacheDir === undefined ? slow : new FileDecisionCache(over.cacheDir)),
    pending: new SingleFlight(),
    budgetMs: 10_000,
    ...over,
  };
}

describe('decide step', () => {
  it('decides with the model once, then reuses the pinned decision with no model call', async () => {
    const d = deps();
    const first = await runFunction(request(), d);
    const again = await runFunction(request({ status: desiredStatusOf(first) }), d);
    expect({ calls: server.chatCalls.length, same: JSON.stringify(again) === JSON.stringify(first) }).toEqual({ calls: 1, same: true });
    expect(outcome(first)).toEqual({
      ttl: 60,
      results: [],
      conditions: [],
      decision: {
        strategy: 'vm',
        reason: 'model qwen2.5-coder:7b: A small Flask API with steady traffic.; no repository analysis: decided from the spec alone',
        confidence: 0.7,
        config: { instanceType: 't3.small', volumeSizeGb: 20, minSize: 1, maxSize: 2, desiredCapacity: 1 },
        alternativeStrategies: [
          { strategy: 'kubernetes', reason: 'rules score 0', confidence: 0.42, estimatedMonthlyCost: 169.79 },
        ],
        estimatedMonthlyCost: 20.43,
        costBreakdown: [
          { item: 'ec2 instances: 1 x t3.small', monthly: 15.18 },
          { item: 'ebs gp3 volumes: 1 x 20 GB', monthly: 1.6 },
          { item: 'public ipv4 addresses: 1', monthly: 3.65 },
        ],
        decidedBy: 'llm',
        inputHash: decisionOf(first)?.inputHash,
        citedCases: [],
        model: 'qwen2.5-coder:7b',
        promptVersion: 'decide-v3',
      },
      status: {
        deployment: {
          strategy: 'vm',
          reason: 'model qwen2.5-coder:7b: A small Flask API with steady traffic.; no repository analysis: decided from the spec alone',
          confidence: 0.7,
          alternativeStrategies: [
            { strategy: 'kubernetes', reason: 'rules score 0', confidence: 0.42, estimatedMonthlyCost: 169.79 },
          ],
          decidedBy: 'llm',
          inputHash: decisionOf(first)?.inputHash,
          config: { instanceType: 't3.small', volumeSizeGb: 20, minSize: 1, maxSize: 2, desiredCapacity: 1 },
          citedCases: [],
          model: 'qwen2.5-coder:7b',
        },
        cost: {
          estimatedMonthly: 20.43,
          currency: 'USD',
          breakdown: [
            { item: 'ec2 instances: 1 x t3.small', monthly: 15.18 },
            { item: 'ebs gp3 volumes: 1 x 20 GB', monthly: 1.6 },
            { item: 'public ipv4 addresses: 1', monthly: 3.65 },
          ],
        },
      },
    });
  });

  it('lets a second replica reuse the decision kept by hash', async () => {
    const shared = await mkdtemp(join(dir, 'shared-'));
    const first = await runFunction(request(), deps({ cacheDir: shared }));
    const second = await runFunction(request(), deps({ cacheDir: shared }));
    expect({ calls: server.chatCalls.length, same: JSON.stringify(second) === JSON.stringify(first) }).toEqual({ calls: 1, same: true });
  });

  it('answers Deciding while the model is slow, keeps the pinned decision, then picks the answer up', async () => {
    let release: (r: Reply) => void = () => undefined;
    server.chat(() => new Promise<Reply>((resolve) => { release = resolve; }));
    const d = deps({ budgetMs: 250 });
    const old = await runFunction(request({ spec: { prompt: 'before' } }), deps({ host: undefined }));
    const pinned = desiredStatusOf(old);
    const waiting = await runFunction(request({ spec: { prompt: 'after' }, status: pinned }), d);
    const stillWaiting = await runFunction(request({ spec: { prompt: 'after' }, status: pinned }), d);
    expect(outcome(waiting)).toEqual({
      ttl: 5,
      results: [{ severity: Severity.SEVERITY_NORMAL, reason: 'Deciding', message: 'deciding: waiting for model qwen2.5-coder:7b' }],
      conditions: [],
      decision: decisionOf(old),
      status: { ...pinned, phase: 'Deciding' },
    });
    expect(JSON.stringify(stillWaiting)).toBe(JSON.stringify(waiting));
    release(reply.json(answer));
    await d.pending.idle();
    const done = await runFunction(request({ spec: { prompt: 'after' }, status: pinned }), d);
    const decision = decisionOf(done);
    expect({ ttl: done.meta?.ttl?.seconds, decidedBy: decision?.decidedBy, changed: decision?.inputHash !== (pinned['deployment'] as { inputHash: string }).inputHash, calls: server.chatCalls.length })
      .toEqual({ ttl: 60, decidedBy: 'llm', changed: true, calls: 1 });
  });

  it('answers Deciding within its budget while the model hangs, then the rules decide with a Warning', async () => {
    server.chat(() => reply.hang());
    // A budget well under the model's timeout, and wide enough for the cache read on a loaded machine.
    const d = deps({ budgetMs: 150, modelFor: modelSource({ host: server.url, model: 'qwen2.5-coder:7b', timeoutMs: 1500 }) });
    const waiting = await runFunction(request(), d);
    await d.pending.idle();
    const done = await runFunction(request(), d);
    expect({
      waiting: [waiting.meta?.ttl?.seconds, desiredStatusOf(waiting)['phase']],
      done: [done.meta?.ttl?.seconds, decisionOf(done)?.decidedBy, done.results.map((r) => r.message)],
    }).toEqual({
      waiting: [5, 'Deciding'],
      done: [60, 'rules', [`cannot ask model qwen2.5-coder:7b at ${server.url}: no answer within 1500 ms; the rules decided`]],
    });
  });

  it('lets the rules decide, with a Warning, when the model fails', async () => {
    server.chat(() => reply.error(500, 'out of VRAM'));
    const rsp = await runFunction(request(), deps());
    const decision = decisionOf(rsp);
    expect({ decidedBy: decision?.decidedBy, results: outcome(rsp)['results'] }).toEqual({
      decidedBy: 'rules',
      results: [{ severity: Severity.SEVERITY_WARNING, reason: 'DecisionDegraded', message: `cannot ask model qwen2.5-coder:7b at ${server.url}: HTTP 500: out of VRAM; the rules decided` }],
    });
  });

  const pinnedFor: Record<string, { reason: string; script: () => Reply; spec: Record<string, unknown>; host: boolean; want: { decidedBy: string; model: string | undefined } }> = {
    'rules, no model': { reason: 'no model: the hash says none', script: () => reply.json(answer), spec: {}, host: false, want: { decidedBy: 'rules', model: undefined } },
    'model': { reason: 'the model decided', script: () => reply.json(answer), spec: {}, host: true, want: { decidedBy: 'llm', model: 'qwen2.5-coder:7b' } },
    'rules after the model failed': { reason: 'the model asked stays in the decision', script: () => reply.error(500), spec: {}, host: true, want: { decidedBy: 'rules', model: 'qwen2.5-coder:7b' } },
    'user strategy with a model configured': { reason: 'the model is in the inputs even when unused', script: () => reply.json(answer), spec: { strategy: 'vm' }, host: true, want: { decidedBy: 'user', model: 'qwen2.5-coder:7b' } },
  };
  it.each(Object.entries(pinnedFor))('lets the retrieve step see the decision pinned: %s', async (_, c) => {
    server.chat(c.script);
    const rsp = await runFunction(request({ spec: c.spec }), deps(c.host ? {} : { host: undefined }));
    const claim = DeploymentSpec.parse(request({ spec: c.spec }).observed?.composite?.resource?.['spec']) as DeploymentSpec;
    expect({ decidedBy: decisionOf(rsp)?.decidedBy, model: decisionOf(rsp)?.model, pinned: decisionPinned(desiredStatusOf(rsp), claim, undefined) }, c.reason)
      .toEqual({ ...c.want, pinned: true });
  });

  it('honours a forced strategy without asking the model', async () => {
    const rsp = await runFunction(request({ spec: { strategy: 'serverless', artifact: { image: 'repo/app:1' } } }), deps());
    const decision = decisionOf(rsp);
    expect({ calls: server.chatCalls.length, strategy: decision?.strategy, decidedBy: decision?.decidedBy, config: decision?.config })
      .toEqual({ calls: 0, strategy: 'serverless', decidedBy: 'user', config: { memoryMb: 512, timeoutSeconds: 30 } });
  });

  it('asks the model named by the function credentials', async () => {
    const rsp = await runFunction(request({ credentials: { ollama: { host: server.url, model: 'llama3.1:8b' } } }), deps({ host: undefined }));
    expect({ calls: server.chatCalls.map((c) => c.model), model: decisionOf(rsp)?.model })
      .toEqual({ calls: ['llama3.1:8b'], model: 'llama3.1:8b' });
  });

  const fatals: Record<string, { reason: string; spec: Record<string, unknown>; want: string }> = {
    'unknown policy': {
      reason: 'an unknown policy is Fatal naming it',
      spec: { policies: ['require-https', 'encrypt-everything'] },
      want: 'cannot read the claim: spec.policies[1]: unknown policy "encrypt-everything" (known: require-https, enable-monitoring, private-data)',
    },
    'negative budget': {
      reason: 'a negative budget is Fatal naming the field',
      spec: { budget: { maxMonthlyCost: -5 } },
      want: 'cannot read the claim: spec.budget.maxMonthlyCost: Too small: expected number to be >0',
    },
    'serverless without an artifact': {
      reason: 'a Lambda function runs only what CI built: an explicit serverless claim without spec.artifact is invalid',
      spec: { strategy: 'serverless' },
      want: 'cannot read the claim: spec.artifact: strategy serverless needs an artifact (a container image or a zip in S3 built by CI)',
    },
    'hard budget too small': {
      reason: 'no configuration fits a hard budget: Fatal, nothing decided',
      spec: { strategy: 'kubernetes', budget: { maxMonthlyCost: 20, enforcementMode: 'hard' } },
      want: 'cannot decide: spec.budget: cannot fit the hard budget of $20/month; the cheapest configuration considered (kubernetes: 1 x t3.small node) costs $118.98/month',
    },
  };
  it.each(Object.entries(fatals))('is Fatal: %s', async (_, c) => {
    const rsp = await runFunction(request({ spec: c.spec }), deps());
    expect(outcome(rsp), c.reason).toEqual({
      ttl: 60,
      results: [{ severity: Severity.SEVERITY_FATAL, reason: 'DecisionFailed', message: c.want }],
      conditions: [],
      decision: undefined,
      status: {},
    });
  });

  it('warns and sets BudgetExceeded past a soft budget\'s alert threshold', async () => {
    const rsp = await runFunction(request({ spec: { budget: { maxMonthlyCost: 20, alertThreshold: 0.5 } } }), deps({ host: undefined }));
    expect({ results: outcome(rsp)['results'], conditions: outcome(rsp)['conditions'] }).toEqual({
      results: [{ severity: Severity.SEVERITY_WARNING, reason: 'BudgetExceeded', message: 'cost over the budget\'s alert threshold: estimated $12.84/month passes 50% of the $20 budget ($10.00)' }],
      conditions: [{ type: 'BudgetExceeded', status: Status.STATUS_CONDITION_TRUE, reason: 'OverAlertThreshold', message: 'estimated $12.84/month passes 50% of the $20 budget ($10.00)' }],
    });
  });

  it('keeps the pinned decision and the Analyzing phase while the analysis is pending', async () => {
    const old = await runFunction(request(), deps({ host: undefined }));
    const rsp = await runFunction(request({ status: desiredStatusOf(old), desiredStatus: { phase: 'Analyzing' } }), deps());
    expect(outcome(rsp)).toEqual({
      ttl: 5,
      results: [{ severity: Severity.SEVERITY_NORMAL, reason: 'Deciding', message: 'deciding: waiting for the analysis' }],
      conditions: [],
      decision: decisionOf(old),
      status: { ...desiredStatusOf(old), phase: 'Analyzing' },
    });
    expect(server.chatCalls.length).toBe(0);
  });

  it('warns about a similar context it cannot read and decides without it', async () => {
    const rsp = await runFunction(request({ context: { 'scia.io/similar': { cases: 'nope' } } }), deps({ host: undefined }));
    expect(outcome(rsp)['results']).toEqual([
      {
        severity: Severity.SEVERITY_WARNING,
        reason: 'ContextInvalid',
        message: 'cannot read context[scia.io/similar].embedder: Invalid input: expected string, received undefined; context[scia.io/similar].queryHash: Invalid input: expected string, received undefined; context[scia.io/similar].cases: Invalid input: expected array, received string; deciding without it',
      },
    ]);
  });
});
