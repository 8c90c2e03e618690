import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RunFunctionRequest, Severity, Target, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { fatal, normal, readContext, respond, setTtl, warning } from '@scia/runtime';

const req = (context: Record<string, unknown> = {}): RunFunctionRequest => RunFunctionRequest.fromPartial({ meta: { tag: 't1' }, context });

describe('result helpers', () => {
  const cases = {
    fatal: {
      reason: 'a Fatal targets the composite only, as function-sdk-go does',
      add: (rsp: RunFunctionResponse) => fatal(rsp, 'cannot read spec.region', { reason: 'InvalidClaim' }),
      want: { severity: Severity.SEVERITY_FATAL, message: 'cannot read spec.region', reason: 'InvalidClaim', target: Target.TARGET_COMPOSITE },
    },
    'warning from an error': {
      reason: "an Error's message and its cause's make the text",
      add: (rsp: RunFunctionResponse) => warning(rsp, new Error('cannot read the decision cache', { cause: new Error('connection refused') })),
      want: { severity: Severity.SEVERITY_WARNING, message: 'cannot read the decision cache: connection refused', target: Target.TARGET_COMPOSITE },
    },
    'warning for the claim': {
      reason: 'claim: true makes the team see it on its claim too',
      add: (rsp: RunFunctionResponse) => warning(rsp, 'store down', { reason: 'RetrievalDegraded', claim: true }),
      want: { severity: Severity.SEVERITY_WARNING, message: 'store down', reason: 'RetrievalDegraded', target: Target.TARGET_COMPOSITE_AND_CLAIM },
    },
    'planted secret': {
      reason: 'results become events anyone may read: a password in a URL never reaches one',
      add: (rsp: RunFunctionResponse) => warning(rsp, 'cannot ask model at http://scia:hunter2@ollama.internal:11434: refused', { claim: true }),
      want: { severity: Severity.SEVERITY_WARNING, message: expect.not.stringContaining('hunter2') as unknown as string, target: Target.TARGET_COMPOSITE_AND_CLAIM },
    },
    normal: {
      reason: 'a Normal carries its reason',
      add: (rsp: RunFunctionResponse) => normal(rsp, 'deciding: waiting for the rules', { reason: 'Deciding' }),
      want: { severity: Severity.SEVERITY_NORMAL, message: 'deciding: waiting for the rules', reason: 'Deciding', target: Target.TARGET_COMPOSITE },
    },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, add, want }) => {
    const rsp = respond(req(), 60);
    expect(add(rsp), reason).toBe(rsp);
    expect(rsp.results, reason).toEqual([want]);
  });
});

describe('setTtl', () => {
  const cases = {
    seconds: { reason: 'whole seconds are kept', ttl: 5, want: { seconds: 5, nanos: 0 } },
    rounded: { reason: 'fractions round to a whole second', ttl: 4.6, want: { seconds: 5, nanos: 0 } },
    negative: { reason: 'a negative TTL is 0, never an invalid Duration', ttl: -3, want: { seconds: 0, nanos: 0 } },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, ttl, want }) => {
    const rsp = setTtl(respond(req(), 60), ttl);
    expect(rsp.meta, reason).toEqual({ tag: 't1', ttl: want });
  });
});

describe('readContext', () => {
  const Analysis = z.object({ commit: z.string().length(4) });
  const cases = {
    absent: { reason: 'no value: nothing to read, no result', context: {}, want: undefined, results: [] },
    valid: { reason: 'a valid value is returned parsed', context: { 'scia.io/analysis': { commit: 'abcd' } }, want: { commit: 'abcd' }, results: [] },
    invalid: {
      reason: 'an invalid value is a Warning naming the field, and the step goes on without it',
      context: { 'scia.io/analysis': { commit: 'abc' } },
      want: undefined,
      results: [{
        severity: Severity.SEVERITY_WARNING,
        message: 'cannot read context[scia.io/analysis].commit: Too small: expected string to have exactly 4 characters; deciding without it',
        reason: 'ContextInvalid',
        target: Target.TARGET_COMPOSITE_AND_CLAIM,
      }],
    },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, context, want, results }) => {
    const r = req(context);
    const rsp = respond(r, 60);
    expect(readContext(r, rsp, 'scia.io/analysis', Analysis, 'deciding without it'), reason).toEqual(want);
    expect(rsp.results, reason).toEqual(results);
  });
});
