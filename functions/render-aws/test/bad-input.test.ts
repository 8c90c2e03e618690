import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, Severity, Target } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '@scia/function-render-aws';
import type { JsonObject } from '@scia/runtime';
import { at } from './fixtures/check.js';
import { analysis, decision, observedReady, request, spec, xr } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const earlier = { resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-an-earlier-step' } } };

interface Case {
  reason: string;
  req: RunFunctionRequest;
  want: string;
}

const withEarlier = (req: RunFunctionRequest): RunFunctionRequest => {
  req.desired = { composite: req.desired?.composite, resources: { earlier: { ...earlier, connectionDetails: {}, ready: 0 } } };
  return req;
};

const claim = (s: unknown, context: JsonObject = { 'scia.io/decision': decision() }, observed: Record<string, JsonObject> = {}) =>
  withEarlier(request({ xr: xr('cluster', s), context, observed }));

const cases: Record<string, Case> = {
  missingRegion: {
    reason: 'a claim without a region names spec.region',
    req: claim({ repository: { url: 'https://github.com/acme/x' } }),
    want: 'spec.region: Invalid input: expected string, received undefined',
  },
  wrongEnum: {
    reason: 'an unknown strategy names spec.strategy',
    req: claim({ ...spec(), strategy: 'mainframe' }),
    want: 'spec.strategy: Invalid option: expected one of "auto"|"vm"|"kubernetes"|"serverless"',
  },
  negativeBudget: {
    reason: 'a negative budget names spec.budget.maxMonthlyCost',
    req: claim(spec({ budget: { maxMonthlyCost: -5 } })),
    want: 'spec.budget.maxMonthlyCost: Too small: expected number to be >0',
  },
  unknownPolicy: {
    reason: 'an unknown policy names its index',
    req: claim({ ...spec(), policies: ['require-https', 'be-fast'] }),
    want: 'spec.policies[1]: Invalid option: expected one of "require-https"|"enable-monitoring"',
  },
  badDecision: {
    reason: 'a decision of the wrong shape names the context key and field',
    req: claim(spec(), { 'scia.io/decision': { ...decision(), strategy: 'mainframe' } }),
    want: 'context[scia.io/decision].strategy: Invalid option: expected one of "vm"|"kubernetes"|"serverless"',
  },
  badAnalysis: {
    reason: 'an analysis of the wrong shape names the context key and field',
    req: claim(spec(), { 'scia.io/analysis': { ...analysis(), port: 70000 } }),
    want: 'context[scia.io/analysis].port: Too big: expected number to be <=65535',
  },
  observedShape: {
    reason: 'an observed load balancer whose dnsName is not a string names the observed field',
    req: claim(spec(), { 'scia.io/decision': decision() }, { lb: observedReady({ dnsName: 42 }) }),
    want: 'observed.resources[lb].status.atProvider.dnsName: Invalid input: expected string, received number',
  },
  observedConditions: {
    reason: 'observed conditions that are not a list name the field',
    req: claim(spec(), { 'scia.io/decision': decision() }, { vpc: { status: { conditions: 'Ready' } } }),
    want: 'observed.resources[vpc].status.conditions: Invalid input: expected array, received string',
  },
  serverlessWithoutArtifact: {
    reason: 'serverless has no from-source path: spec.artifact is required',
    req: claim(spec(), { 'scia.io/decision': decision({ strategy: 'serverless' }) }),
    want: 'spec.artifact: serverless needs an artifact (a container image or a zip in S3) built by CI',
  },
  zipWithoutRuntime: {
    reason: 'a zip for a language Lambda has no runtime for names spec.artifact',
    req: claim(spec({ artifact: { s3: { bucket: 'acme-builds', key: 'app.zip' } } }), {
      'scia.io/decision': decision({ strategy: 'serverless' }),
      'scia.io/analysis': analysis({ language: 'cobol' }),
    }),
    want: 'spec.artifact: a zip needs a Lambda runtime for language "cobol"; use a container image',
  },
  badDomain: {
    reason: 'a domain that is not a DNS name names spec.domain',
    req: claim({ ...spec(), domain: 'not a domain' }),
    want: 'spec.domain: must be a DNS name such as app.example.com',
  },
  noComposite: {
    reason: 'a request without an observed XR',
    req: withEarlier(RunFunctionRequest.fromPartial({ meta: { tag: 'render-tag' } })),
    want: 'observed.composite: the request has no observed composite resource',
  },
};

describe('bad input is a Fatal result naming the field; nothing is rendered', () => {
  it.each(Object.entries(cases))('%s', async (_name, { reason, req, want }) => {
    const rsp = await runFunction(req, { clock });
    expect(
      {
        results: rsp.results,
        resources: Object.keys(rsp.desired?.resources ?? {}),
        status: at(rsp.desired?.composite?.resource, 'status'),
        tag: rsp.meta?.tag,
      },
      reason,
    ).toEqual({
      results: [
        { severity: Severity.SEVERITY_FATAL, message: `cannot render AWS resources: ${want}`, reason: 'InvalidInput', target: Target.TARGET_COMPOSITE },
      ],
      resources: ['earlier'],
      status: undefined,
      tag: 'render-tag',
    });
  });
});
