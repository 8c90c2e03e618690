import { describe, expect, it } from 'vitest';
import { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { RenderCache, runFunction } from '@scia/function-render-aws';
import type { JsonObject } from '@scia/runtime';
import { analysis, decision, observedReady, request, spec, xr } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const CERT = 'arn:aws:acm:eu-west-3:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const OTHER_CERT = 'arn:aws:acm:eu-west-3:123456789012:certificate/99999999-2222-3333-4444-555555555555';

interface Parts {
  strategy: 'vm' | 'kubernetes' | 'serverless';
  observed?: Record<string, JsonObject>;
  instanceType?: string;
}

const req = (p: Parts) =>
  request({
    xr: xr(
      'cluster',
      spec({
        policies: ['require-https', 'enable-monitoring'],
        domain: 'api.example.com',
        ...(p.strategy === 'serverless' ? { artifact: { image: '123456789012.dkr.ecr.eu-west-3.amazonaws.com/flask-api:1.4.2' } } : {}),
      }),
    ),
    ...(p.observed === undefined ? {} : { observed: p.observed }),
    context: {
      'scia.io/decision': decision({ strategy: p.strategy, ...(p.instanceType === undefined ? {} : { config: { instanceType: p.instanceType } }) }),
      'scia.io/analysis': analysis(),
    },
  });

const bytes = (rsp: RunFunctionResponse) => Buffer.from(RunFunctionResponse.encode(rsp).finish()).toString('base64');

const issued = (arn: string) => ({ cert: observedReady({ arn, status: 'ISSUED' }), vpc: observedReady() });

const cases: Array<{ reason: string; calls: Parts[]; entries: number }> = [
  { reason: 'the same steady request twice re-uses one composition', calls: [{ strategy: 'vm' }, { strategy: 'vm' }], entries: 1 },
  {
    reason: 'an observed value the renderer copies (the certificate ARN) renders again',
    calls: [{ strategy: 'kubernetes', observed: issued(CERT) }, { strategy: 'kubernetes', observed: issued(OTHER_CERT) }, { strategy: 'kubernetes', observed: issued(CERT) }],
    entries: 2,
  },
  {
    reason: 'a new readiness alone renders nothing again, and marks resources ready as a fresh render does',
    calls: [{ strategy: 'vm' }, { strategy: 'vm', observed: { vpc: observedReady() } }, { strategy: 'vm' }],
    entries: 1,
  },
  { reason: 'a changed decision (sizing) renders again', calls: [{ strategy: 'vm', instanceType: 't3.small' }, { strategy: 'vm', instanceType: 't3.large' }, { strategy: 'vm', instanceType: 't3.small' }], entries: 2 },
  { reason: 'a changed strategy renders again', calls: [{ strategy: 'serverless' }, { strategy: 'kubernetes' }, { strategy: 'serverless' }], entries: 2 },
];

describe('render-aws with a cache of compositions', () => {
  it.each(cases)('$reason, byte for byte as a fresh render', async ({ calls, entries }) => {
    const renders = new RenderCache();
    for (const call of calls) {
      const cached = await runFunction(req(call), { clock, renders });
      const fresh = await runFunction(req(call), { clock });
      expect(bytes(cached)).toBe(bytes(fresh));
    }
    expect(renders.size).toBe(entries);
  });

  it.each([
    { reason: 'a decision that is not one', value: { strategy: 'mainframe' }, lookalike: { strategy: 'mainframe' } },
    { reason: 'a number that is not finite, after a null with the same JSON text', value: { ...decision(), estimatedMonthlyCost: Number.NaN }, lookalike: { ...decision(), estimatedMonthlyCost: null } },
    { reason: 'a date, after the text it turns into', value: { ...decision(), reason: new Date('2026-01-01T00:00:00Z') }, lookalike: { ...decision(), reason: '2026-01-01T00:00:00.000Z' } },
  ])('$reason answers as a fresh render', async ({ value, lookalike }) => {
    const renders = new RenderCache();
    const withDecision = (d: unknown) => () => ({ ...req({ strategy: 'vm' }), context: { 'scia.io/decision': d as JsonObject, 'scia.io/analysis': analysis() } });
    for (const r of [withDecision(lookalike), withDecision(value), () => req({ strategy: 'vm' }), withDecision(value)]) {
      expect(bytes(await runFunction(r(), { clock, renders }))).toBe(bytes(await runFunction(r(), { clock })));
    }
  });

  it('a response changed after it was sent leaves the next call as a fresh render', async () => {
    const renders = new RenderCache();
    const first = await runFunction(req({ strategy: 'vm' }), { clock, renders });
    for (const r of Object.values(first.desired?.resources ?? {})) {
      // A cached body is frozen: it cannot be changed in place, only replaced.
      expect(() => { ((r.resource as JsonObject)['spec'] as JsonObject)['changed'] = true; }).toThrow(TypeError);
      r.resource = { ...(r.resource as JsonObject), spec: { changed: true } };
    }
    const again = await runFunction(req({ strategy: 'vm' }), { clock, renders });
    expect(bytes(again)).toBe(bytes(await runFunction(req({ strategy: 'vm' }), { clock })));
  });

  it.each([
    { reason: 'room for every composition keeps them all', maxBytes: undefined, kept: 4 },
    { reason: 'room for none keeps none, and still answers as a fresh render', maxBytes: 1, kept: 0 },
  ])('$reason', async ({ maxBytes, kept }) => {
    const renders = new RenderCache(maxBytes);
    for (const instanceType of ['t3.small', 't3.medium', 't3.large', 't3.xlarge']) {
      const call = { strategy: 'vm' as const, instanceType };
      expect(bytes(await runFunction(req(call), { clock, renders }))).toBe(bytes(await runFunction(req(call), { clock })));
    }
    expect(renders.size).toBe(kept);
  });
});
