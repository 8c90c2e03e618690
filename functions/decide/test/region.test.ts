import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { RequiredName } from '@scia/api';
import { runFunction, type DecideDeps } from '../src/index.js';
import { desiredStatusOf, rulesDeps } from './request.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scia-decide-region-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deps = (): DecideDeps => rulesDeps(dir);

const NS = 'team-a';

/** request is a v2 Deployment of team-a (a vm of one t3.small), with Crossplane's answer for CloudProvider acme when one is given. */
function request(spec: Record<string, unknown>, defaultRegion?: string): RunFunctionRequest {
  const cp = { credentials: { source: 'Secret', secretRef: { name: 'aws' } }, ...(defaultRegion === undefined ? {} : { defaultRegion }) };
  return RunFunctionRequest.fromPartial({
    meta: { tag: 't' },
    observed: {
      composite: {
        resource: {
          apiVersion: 'scia.io/v1alpha1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: NS, creationTimestamp: '2026-01-01T00:00:00Z' },
          spec: { repository: { url: 'https://example.com/acme/api' }, strategy: 'vm', overrides: { instanceType: 't3.small', minSize: 1, desiredCapacity: 1, maxSize: 1 }, ...spec },
        },
      },
    },
    requiredResources: {
      [RequiredName.cloudProvider]: { items: [{ resource: { apiVersion: 'scia.io/v1alpha1', kind: 'CloudProvider', metadata: { name: 'acme', namespace: NS }, spec: cp } }] },
      [RequiredName.teamDeployments]: { items: [] },
    },
  });
}

function fatals(rsp: RunFunctionResponse): string[] {
  return rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);
}

async function monthly(spec: Record<string, unknown>, defaultRegion?: string): Promise<unknown> {
  const rsp = await runFunction(request(spec, defaultRegion), deps());
  const cost = desiredStatusOf(rsp)['cost'] as { estimatedMonthly?: number } | undefined;
  return { fatals: fatals(rsp), estimatedMonthly: cost?.estimatedMonthly };
}

describe('decide step, effective region', () => {
  const cases = {
    fromCloudProvider: { reason: 'a claim without spec.region is priced in its CloudProvider\'s defaultRegion', spec: { cloudProvider: 'acme' }, defaultRegion: 'eu-west-3', sameAs: 'eu-west-3' },
    explicitWins: { reason: 'a claim\'s own spec.region wins over the CloudProvider\'s', spec: { cloudProvider: 'acme', region: 'us-east-1' }, defaultRegion: 'eu-west-3', sameAs: 'us-east-1' },
  };
  it.each(Object.entries(cases))('%s', async (_, c) => {
    const got = await monthly(c.spec, c.defaultRegion);
    // The same claim on the platform's account with the region written out is priced alike.
    const want = await monthly({ cloudProvider: 'aws', region: c.sameAs });
    const other = await monthly({ cloudProvider: 'aws', region: c.sameAs === 'eu-west-3' ? 'us-east-1' : 'eu-west-3' });
    expect({ got, differsElsewhere: JSON.stringify(got) !== JSON.stringify(other) }, c.reason).toEqual({ got: want, differsElsewhere: true });
  });

  const refused = {
    platformWithoutRegion: {
      reason: 'the platform\'s account has no default region: spec.region is required',
      spec: { cloudProvider: 'aws' },
      defaultRegion: undefined,
      want: 'cannot read the claim: spec.region: required unless spec.cloudProvider names a CloudProvider with a defaultRegion',
    },
    cloudProviderWithoutDefault: {
      reason: 'a CloudProvider without defaultRegion is invalid, named with its field',
      spec: { cloudProvider: 'acme' },
      defaultRegion: undefined,
      want: "cannot read the team's CloudProvider: CloudProvider team-a/acme is invalid: spec.defaultRegion: Invalid input: expected string, received undefined",
    },
  };
  it.each(Object.entries(refused))('refuses with a Fatal: %s', async (_, c) => {
    expect(await monthly(c.spec, c.defaultRegion), c.reason).toEqual({ fatals: [c.want], estimatedMonthly: undefined });
  });
});
