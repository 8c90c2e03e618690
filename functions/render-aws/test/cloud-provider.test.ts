import { describe, expect, it } from 'vitest';
import { Ready, RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { RequiredName } from '@scia/api';
import { runFunction } from '@scia/function-render-aws';
import type { JsonObject } from '@scia/runtime';
import { crdDir } from '@scia/schemas';
import { desiredResources, invalidResources, results } from './fixtures/check.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const crds = crdDir();
const withCrds = crds.exists ? it : it.skip;

const SECRET_SPEC = {
  credentials: { source: 'Secret', secretRef: { name: 'aws-creds' } },
  defaultRegion: 'eu-west-3',
  costControl: { monthlyBudget: 100, enforcementMode: 'hard' },
  quotas: { maxEc2Instances: 10 },
};
const IRSA_SPEC = { credentials: { source: 'IRSA', roleARN: 'arn:aws:iam::123456789012:role/team-backend' }, defaultRegion: 'eu-west-3' };

/** v2 is a namespaced CloudProvider; v1 the cluster XR of a CloudProvider claim in team-backend. */
function cloudProvider(scope: 'v1' | 'v2', spec: unknown): JsonObject {
  return scope === 'v2'
    ? { apiVersion: 'scia.io/v1alpha1', kind: 'CloudProvider', metadata: { name: 'acme', namespace: 'team-backend' }, spec }
    : {
        apiVersion: 'scia.io/v1alpha1',
        kind: 'XCloudProvider',
        metadata: { name: 'acme-x9f2k', labels: { 'crossplane.io/claim-name': 'acme', 'crossplane.io/claim-namespace': 'team-backend' } },
        spec,
      };
}

const deployment = (name: string, status: JsonObject): JsonObject => ({
  apiVersion: 'scia.io/v1alpha1',
  kind: 'Deployment',
  metadata: { name, namespace: 'team-backend', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {},
  status,
});
const TEAM = [
  deployment('api', { cost: { estimatedMonthly: 40.5 }, deployment: { strategy: 'vm', config: { minSize: 1, maxSize: 3 } } }),
  deployment('jobs', { cost: { estimatedMonthly: 1.25 }, deployment: { strategy: 'serverless' } }),
  deployment('new', {}),
];

function request(xr: JsonObject, team?: JsonObject[], observed: Record<string, JsonObject> = {}): RunFunctionRequest {
  return RunFunctionRequest.fromPartial({
    meta: { tag: 't' },
    observed: { composite: { resource: xr }, resources: Object.fromEntries(Object.entries(observed).map(([k, resource]) => [k, { resource }])) },
    desired: { composite: { resource: {} }, resources: {} },
    ...(team === undefined ? {} : { requiredResources: { [RequiredName.teamDeployments]: { items: team.map((resource) => ({ resource })) } } }),
  });
}

describe('render-aws for a CloudProvider', () => {
  it('asks for the namespace\'s Deployments first', async () => {
    const rsp = await runFunction(request(cloudProvider('v2', SECRET_SPEC)), { clock });
    expect(rsp.requirements?.resources).toEqual({
      [RequiredName.teamDeployments]: { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', matchLabels: { labels: {} }, namespace: 'team-backend' },
    });
  });

  it('composes the namespaced ProviderConfig of a Secret and reports the team\'s spend and quota use', async () => {
    const rsp = await runFunction(request(cloudProvider('v2', SECRET_SPEC), TEAM), { clock });
    expect({ results: results(rsp), resources: desiredResources(rsp), status: rsp.desired?.composite?.resource?.['status'] as unknown, ready: rsp.desired?.resources?.['provider-config']?.ready }).toEqual({
      results: [],
      resources: {
        'provider-config': {
          apiVersion: 'aws.m.upbound.io/v1beta1',
          kind: 'ProviderConfig',
          metadata: { name: 'acme', namespace: 'team-backend', labels: { 'scia.io/cloud-provider': 'acme', 'scia.io/namespace': 'team-backend' } },
          spec: { credentials: { source: 'Secret', secretRef: { name: 'aws-creds', namespace: 'team-backend', key: 'credentials' } } },
        },
      },
      status: {
        providerConfigName: 'acme',
        estimatedMonthlySpend: 41.75,
        budgetUsed: 0.418,
        quotaUse: { ec2Instances: 3, eksClusters: 0, lambdaFunctions: 1 },
        deploymentsCounted: 2,
        deployments: ['api', 'jobs'],
      },
      ready: Ready.READY_FALSE,
    });
  });

  it('composes a cluster ProviderConfig assuming the team\'s role for a v1 XR, ready once observed', async () => {
    const rsp = await runFunction(request(cloudProvider('v1', IRSA_SPEC), [], { 'provider-config': { metadata: { name: 'acme-x9f2k' } } }), { clock });
    expect({ resources: desiredResources(rsp), ready: rsp.desired?.resources?.['provider-config']?.ready, requirements: rsp.requirements?.resources }).toEqual({
      resources: {
        'provider-config': {
          apiVersion: 'aws.upbound.io/v1beta1',
          kind: 'ProviderConfig',
          metadata: { name: 'acme-x9f2k', labels: { 'scia.io/cloud-provider': 'acme-x9f2k', 'scia.io/namespace': 'team-backend' } },
          spec: { credentials: { source: 'IRSA' }, assumeRoleChain: [{ roleARN: 'arn:aws:iam::123456789012:role/team-backend' }] },
        },
      },
      ready: Ready.READY_TRUE,
      requirements: {
        [RequiredName.teamDeployments]: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', matchLabels: { labels: { 'crossplane.io/claim-namespace': 'team-backend' } } },
      },
    });
  });

  it('refuses an invalid CloudProvider, naming the field', async () => {
    const rsp = await runFunction(request(cloudProvider('v2', { ...SECRET_SPEC, credentials: { source: 'Secret' } }), TEAM), { clock });
    expect(results(rsp)).toEqual(["fatal: cannot compose the CloudProvider's ProviderConfig: spec.credentials.secretRef: source Secret needs secretRef"]);
  });

  withCrds('composes ProviderConfigs that validate against provider-aws\'s CRDs', async () => {
    const v2 = await runFunction(request(cloudProvider('v2', SECRET_SPEC), TEAM), { clock });
    const v1 = await runFunction(request(cloudProvider('v1', IRSA_SPEC), TEAM), { clock });
    expect([invalidResources(v2), invalidResources(v1)]).toEqual([{}, {}]);
  });
});
