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
    want: 'spec.region: required unless spec.cloudProvider names a CloudProvider with a defaultRegion',
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
    want: 'spec.policies[1]: Invalid option: expected one of "require-https"|"enable-monitoring"|"private-data"',
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

// What an earlier step or a provider hands over is not the claim: a value this
// step cannot read never stops the pipeline and never drops what is deployed.
const vpc = { apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'VPC', metadata: { name: 'orders-vpc', labels: { team: 'a' }, resourceVersion: '7' }, spec: { forProvider: { region: 'eu-west-3' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
const held: Record<string, Case & { resources: string[]; ttl: number }> = {
  badDecision: {
    reason: 'a decision of the wrong shape: what is deployed is kept as observed, with a Warning naming the field',
    req: claim(spec(), { 'scia.io/decision': { ...decision(), strategy: 'mainframe' } }, { vpc }),
    want: 'cannot render AWS resources, keeping what is deployed: context[scia.io/decision].strategy: Invalid option: expected one of "vm"|"kubernetes"|"serverless"',
    resources: ['earlier', 'vpc'],
    ttl: 5,
  },
  badAnalysis: {
    reason: 'an analysis of the wrong shape: the same',
    req: claim(spec(), { 'scia.io/analysis': { ...analysis(), port: 70000 } }),
    want: 'cannot render AWS resources, keeping what is deployed: context[scia.io/analysis].port: Too big: expected number to be <=65535',
    resources: ['earlier'],
    ttl: 5,
  },
};

describe('input from earlier steps that cannot be read holds what is deployed', () => {
  it.each(Object.entries(held))('%s', async (_name, { reason, req, want, resources, ttl }) => {
    const rsp = await runFunction(req, { clock });
    expect(
      { results: rsp.results, resources: Object.keys(rsp.desired?.resources ?? {}).sort(), ttl: rsp.meta?.ttl?.seconds, vpc: rsp.desired?.resources['vpc'] },
      reason,
    ).toEqual({
      results: [{ severity: Severity.SEVERITY_WARNING, message: want, reason: 'InputUnreadable', target: Target.TARGET_COMPOSITE_AND_CLAIM }],
      resources,
      ttl,
      vpc: resources.includes('vpc')
        ? { resource: { apiVersion: vpc.apiVersion, kind: vpc.kind, metadata: { name: 'orders-vpc', labels: { team: 'a' } }, spec: vpc.spec }, connectionDetails: {}, ready: 1 }
        : undefined,
    });
  });
});

const readAround: Record<string, Case> = {
  observedShape: {
    reason: 'an observed load balancer whose dnsName is not a string: rendered without its address, with a Warning naming the field',
    req: claim(spec(), { 'scia.io/decision': decision() }, { lb: observedReady({ dnsName: 42 }) }),
    want: 'cannot read observed.resources[lb].status.atProvider.dnsName: Invalid input: expected string, received number; waiting for its address',
  },
  observedConditions: {
    reason: 'observed conditions that are not a list: that resource counts as not ready',
    req: claim(spec(), { 'scia.io/decision': decision() }, { vpc: { status: { conditions: 'Ready' } } }),
    want: 'cannot read observed.resources[vpc].status.conditions: Invalid input: expected array, received string; treating vpc as not ready',
  },
  nanHistory: {
    reason: 'a history entry that is not one (a number that is not finite) is dropped, and the render goes on',
    req: request({ xr: xr('cluster', spec(), { phase: 'Provisioning', history: [{ at: Number.NaN, event: 'PhaseProvisioning', message: 'x' }] }), context: { 'scia.io/decision': decision() } }),
    want: "cannot read 1 of status.history's entries; dropped it",
  },
};

describe('observed values of an unexpected shape are read around', () => {
  it.each(Object.entries(readAround))('%s', async (_name, { reason, req, want }) => {
    const rsp = await runFunction(req, { clock });
    const warnings = rsp.results.filter((r) => r.reason === 'ObservedUnreadable').map((r) => r.message);
    const fatal = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
    expect({ warnings, fatal, rendered: Object.keys(rsp.desired?.resources ?? {}).length > 5 }, reason).toEqual({ warnings: [want], fatal: [], rendered: true });
  });
});
