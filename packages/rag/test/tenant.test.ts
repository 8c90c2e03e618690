import { describe, expect, it } from 'vitest';
import { tenantOf, xrKeyOf } from '@scia/rag';

const xr = (metadata: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata });

describe('tenantOf', () => {
  const cases = {
    'v1 claim': {
      reason: "a cluster-scoped XR's tenant is the claim namespace Crossplane labels it with",
      xr: xr({ name: 'api-x7k2p', labels: { 'crossplane.io/claim-namespace': 'team-a' } }),
      want: { ok: true, value: 'team-a' },
    },
    'v2 XR': { reason: "a namespaced XR's tenant is its own namespace", xr: xr({ name: 'api', namespace: 'team-b' }), want: { ok: true, value: 'team-b' } },
    'v2 XR with its own namespace as label': {
      reason: 'a label that agrees with the namespace is harmless',
      xr: xr({ name: 'api', namespace: 'team-b', labels: { 'crossplane.io/claim-namespace': 'team-b' } }),
      want: { ok: true, value: 'team-b' },
    },
    'v2 XR claiming another team': {
      reason: 'a team cannot label its way into another team\'s memory',
      xr: xr({ name: 'api', namespace: 'team-b', labels: { 'crossplane.io/claim-namespace': 'team-a' } }),
      want: {
        ok: false,
        error: 'metadata.labels[crossplane.io/claim-namespace]: names "team-a", but this XR lives in namespace "team-b": a namespaced XR\'s tenant is its own namespace',
      },
    },
    'cluster XR without a claim': { reason: 'the platform\'s own XRs have no tenant', xr: xr({ name: 'api' }), want: { ok: true, value: '' } },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, xr: x, want }) => {
    expect(tenantOf(x), reason).toEqual(want);
  });

  it('keys an XR without a uid by its tenant and name', () => {
    expect(xrKeyOf(xr({ name: 'api', namespace: 'team-b' }))).toBe('name:team-b/api');
  });
});
