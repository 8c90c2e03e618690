import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { decodeRequest, malformedRequest } from '@scia/runtime';

interface Case {
  reason: string;
  xr: Record<string, unknown> | undefined;
  want: string | undefined;
}

const cases: Record<string, Case> = {
  wellFormed: {
    reason: 'an XR with string labels is what Crossplane sends',
    xr: { metadata: { name: 'a', labels: { 'crossplane.io/claim-namespace': 'team-a', team: 'x' } }, spec: {} },
    want: undefined,
  },
  noLabels: { reason: 'labels are optional', xr: { metadata: { name: 'a' } }, want: undefined },
  nullLabels: { reason: 'null labels are none', xr: { metadata: { name: 'a', labels: null } }, want: undefined },
  emptyLabel: { reason: 'an empty string is a label value', xr: { metadata: { name: 'a', labels: { team: '' } } }, want: undefined },
  metadataString: { reason: 'metadata that is no map has no labels', xr: { metadata: 'a' }, want: undefined },
  noMetadata: { reason: 'what a step needs of metadata is the step\'s to check', xr: { spec: {} }, want: undefined },
  noComposite: {
    reason: 'Crossplane always sends the XR it reconciles',
    xr: undefined,
    want: 'cannot read the request: observed.composite.resource: the request has no observed composite resource, which Crossplane always sends',
  },
  numberLabel: {
    reason: 'a label value is a string in Kubernetes',
    xr: { metadata: { name: 'a', labels: { 'crossplane.io/claim-namespace': 5 } } },
    want: 'cannot read the request: metadata.labels[crossplane.io/claim-namespace]: must be a string, as every Kubernetes label value is, not a number',
  },
  objectLabel: {
    reason: 'a nested object is no label value either',
    xr: { metadata: { name: 'a', labels: { 'crossplane.io/composite': { n: 'x' } } } },
    want: 'cannot read the request: metadata.labels[crossplane.io/composite]: must be a string, as every Kubernetes label value is, not an object',
  },
  oddKey: {
    reason: 'a key that is no label key is quoted and cut short',
    xr: { metadata: { name: 'a', labels: { [`\u0000${'k'.repeat(100)}`]: null } } },
    want: `cannot read the request: metadata.labels["\\u0000${'k'.repeat(63)}"]: must be a string, as every Kubernetes label value is, not null`,
  },
  labelsList: {
    reason: 'labels are a map',
    xr: { metadata: { name: 'a', labels: ['x'] } },
    want: 'cannot read the request: metadata.labels: must be a map of strings, as Kubernetes stores labels',
  },
};

describe('malformedRequest', () => {
  it.each(Object.entries(cases).flatMap(([name, c]) => (['sdk', 'lazy'] as const).map((codec) => [`${name}, decoded by ${codec}`, c, codec] as const)))('%s', (_, c, codec) => {
    const sent = RunFunctionRequest.fromPartial({ meta: { tag: 't' }, ...(c.xr === undefined ? {} : { observed: { composite: { resource: c.xr } } }) });
    const req = decodeRequest(Buffer.from(RunFunctionRequest.encode(sent).finish()), codec);
    const rsp = malformedRequest(req);
    const got = rsp === undefined ? undefined : rsp.results.map((r) => ({ severity: r.severity, message: r.message, reason: r.reason, tag: rsp.meta?.tag }));
    const want = c.want === undefined ? undefined : [{ severity: Severity.SEVERITY_FATAL, message: c.want, reason: 'InvalidRequest', tag: 't' }];
    expect(got, c.reason).toEqual(want);
  });

  it('reads string labels from the bytes of a request decoded lazily, leaving its metadata undecoded', () => {
    const sent = RunFunctionRequest.fromPartial({ observed: { composite: { resource: cases['wellFormed']?.xr } } });
    const req = decodeRequest(Buffer.from(RunFunctionRequest.encode(sent).finish()), 'lazy');
    expect(malformedRequest(req)).toBeUndefined();
    const xr = req.observed?.composite?.resource as Record<string, unknown>;
    expect(typeof Object.getOwnPropertyDescriptor(xr, 'metadata')?.get).toBe('function');
  });
});
