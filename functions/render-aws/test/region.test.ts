import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { ContextKey, RequiredName } from '@scia/api';
import { runFunction } from '@scia/function-render-aws';
import type { JsonObject } from '@scia/runtime';
import { at, desiredResources, results } from './fixtures/check.js';
import { analysis, decision, spec, xr } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };

function cloudProvider(defaultRegion: string | undefined): JsonObject {
  return {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'CloudProvider',
    metadata: { name: 'acme', namespace: 'team-backend' },
    spec: { credentials: { source: 'Secret', secretRef: { name: 'aws-creds' } }, ...(defaultRegion === undefined ? {} : { defaultRegion }) },
  };
}

/** request renders a vm Deployment of team-backend; `region` undefined leaves spec.region out of the claim. */
function request(cloud: string, region: string | undefined, defaultRegion: string | undefined): RunFunctionRequest {
  const { region: _, ...rest } = spec({ cloudProvider: cloud, strategy: 'vm' });
  const claim = region === undefined ? rest : { ...rest, region };
  return RunFunctionRequest.fromPartial({
    meta: { tag: 't' },
    observed: { composite: { resource: xr('namespaced', claim) } },
    desired: { composite: { resource: {} }, resources: {} },
    context: { [ContextKey.decision]: decision({ strategy: 'vm' }), [ContextKey.analysis]: analysis() },
    requiredResources: { [RequiredName.cloudProvider]: { items: [{ resource: cloudProvider(defaultRegion) }] } },
  });
}

/** regions lists the distinct forProvider.region of the regional managed resources rendered. */
function regions(rsp: RunFunctionResponse): unknown[] {
  return [...new Set(Object.values(desiredResources(rsp)).map((r) => at(r, 'spec', 'forProvider', 'region')).filter((r) => r !== undefined))];
}

describe('render-aws, effective region', () => {
  const cases = {
    fromCloudProvider: { reason: 'a claim without spec.region renders in its CloudProvider\'s defaultRegion', cloud: 'acme', region: undefined, defaultRegion: 'us-west-2', want: { fatal: [], regions: ['us-west-2'] } },
    explicitWins: { reason: 'a claim\'s own spec.region wins', cloud: 'acme', region: 'eu-west-3', defaultRegion: 'us-west-2', want: { fatal: [], regions: ['eu-west-3'] } },
    platformWithoutRegion: {
      reason: 'neither: the platform\'s account has no default, a Fatal naming spec.region',
      cloud: 'aws',
      region: undefined,
      defaultRegion: undefined,
      want: { fatal: ['fatal: cannot render AWS resources: spec.region: required unless spec.cloudProvider names a CloudProvider with a defaultRegion'], regions: [] },
    },
    cloudProviderWithoutDefault: {
      reason: 'neither: a CloudProvider without defaultRegion is refused, naming its field',
      cloud: 'acme',
      region: undefined,
      defaultRegion: undefined,
      want: { fatal: ['fatal: cannot render AWS resources: spec.cloudProvider: CloudProvider team-backend/acme is invalid: spec.defaultRegion: Invalid input: expected string, received undefined'], regions: [] },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, c) => {
    const rsp = await runFunction(request(c.cloud, c.region, c.defaultRegion), { clock });
    expect({ fatal: results(rsp).filter((r) => r.startsWith('fatal')), regions: regions(rsp) }, c.reason).toEqual(c.want);
  });
});
