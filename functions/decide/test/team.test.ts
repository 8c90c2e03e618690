import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { RequiredName, type CloudProviderSpecInput } from '@scia/api';
import { runFunction, type DecideDeps } from '../src/index.js';
import { desiredStatusOf, rulesDeps } from './request.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scia-decide-team-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deps = (): DecideDeps => rulesDeps(dir);

const NS = 'team-a';
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:05:00Z';

interface Claim {
  name: string;
  createdAt: string;
  status?: Record<string, unknown> | undefined;
}

/** xr is a namespaced (v2) Deployment of team-a on CloudProvider acme: a vm of 1..2 t3.small (about $23/month in eu-west-3). */
function xr(c: Claim, cloudProvider = 'acme'): Record<string, unknown> {
  return {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'Deployment',
    metadata: { name: c.name, namespace: NS, creationTimestamp: c.createdAt },
    spec: {
      repository: { url: 'https://example.com/acme/api' },
      region: 'eu-west-3',
      cloudProvider,
      strategy: 'vm',
      overrides: { instanceType: 't3.small', minSize: 1, desiredCapacity: 1, maxSize: 2 },
    },
    ...(c.status === undefined ? {} : { status: c.status }),
  };
}

function cloudProvider(spec: CloudProviderSpecInput | Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'scia.io/v1alpha1', kind: 'CloudProvider', metadata: { name: 'acme', namespace: NS }, spec };
}

const base: CloudProviderSpecInput = { credentials: { source: 'Secret', secretRef: { name: 'aws' } }, defaultRegion: 'eu-west-3' };

/** request is what Crossplane sends once it has answered the step's requirements (`required` undefined: before). */
function request(self: Claim, required?: { cloudProvider: Array<Record<string, unknown>>; deployments: Array<Record<string, unknown>> }): RunFunctionRequest {
  return RunFunctionRequest.fromPartial({
    meta: { tag: 't' },
    observed: { composite: { resource: xr(self) } },
    ...(required === undefined
      ? {}
      : {
          requiredResources: {
            [RequiredName.cloudProvider]: { items: required.cloudProvider.map((resource) => ({ resource })) },
            [RequiredName.teamDeployments]: { items: required.deployments.map((resource) => ({ resource })) },
          },
        }),
  });
}

function results(rsp: RunFunctionResponse): Array<{ severity: Severity; message: string }> {
  return rsp.results.filter((r) => r.severity !== Severity.SEVERITY_NORMAL).map((r) => ({ severity: r.severity, message: r.message }));
}

describe('decide step, team of a CloudProvider', () => {
  it('asks for the CloudProvider and the namespace\'s Deployments first, and decides nothing before they are answered', async () => {
    const rsp = await runFunction(request({ name: 'web', createdAt: T0 }), deps());
    expect({ requirements: rsp.requirements?.resources, decision: rsp.context?.['scia.io/decision'] as unknown, ttl: rsp.meta?.ttl?.seconds }).toEqual({
      requirements: {
        [RequiredName.cloudProvider]: { apiVersion: 'scia.io/v1alpha1', kind: 'CloudProvider', matchName: 'acme', namespace: NS },
        [RequiredName.teamDeployments]: { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', matchLabels: { labels: {} }, namespace: NS },
      },
      decision: undefined,
      ttl: 5,
    });
  });

  it('asks for nothing on the platform account (aws)', async () => {
    const self = { name: 'web', createdAt: T0 };
    const req = RunFunctionRequest.fromPartial({ meta: { tag: 't' }, observed: { composite: { resource: xr(self, 'aws') } } });
    const rsp = await runFunction(req, deps());
    expect({ requirements: rsp.requirements?.resources ?? {}, results: results(rsp), strategy: desiredStatusOf(rsp)['deployment'] !== undefined }).toEqual({
      requirements: {},
      results: [],
      strategy: true,
    });
  });

  const fatalCases = {
    missing: {
      reason: 'a CloudProvider that does not exist is named',
      found: [],
      want: "cannot read the team's CloudProvider: CloudProvider team-a/acme (spec.cloudProvider) does not exist; create it, or set spec.cloudProvider to aws for the platform's account",
    },
    invalid: {
      reason: 'an invalid CloudProvider is named with its field',
      found: [cloudProvider({ credentials: { source: 'IRSA' }, defaultRegion: 'eu-west-3' })],
      want: "cannot read the team's CloudProvider: CloudProvider team-a/acme is invalid: spec.credentials.roleARN: source IRSA or PodIdentity needs roleARN",
    },
  };
  it.each(Object.entries(fatalCases))('refuses with a Fatal: %s', async (_, { reason, found, want }) => {
    const rsp = await runFunction(request({ name: 'web', createdAt: T0 }, { cloudProvider: found, deployments: [] }), deps());
    expect(results(rsp), reason).toEqual([{ severity: Severity.SEVERITY_FATAL, message: want }]);
  });

  /**
   * race reconciles two claims that were applied together twice, as Crossplane
   * would: on the first reconcile neither has an estimate in its status yet, so
   * each fits; on the second each sees the other's, and the newer one is held
   * to the team's limit.
   */
  async function race(spec: CloudProviderSpecInput): Promise<Array<Array<{ severity: Severity; message: string }>>> {
    const a: Claim = { name: 'api', createdAt: T0 };
    const b: Claim = { name: 'web', createdAt: T1 };
    const cp = [cloudProvider(spec)];
    const round1 = await Promise.all([a, b].map((self) => runFunction(request(self, { cloudProvider: cp, deployments: [xr(a), xr(b)] }), deps())));
    const [sa, sb] = round1.map((r) => desiredStatusOf(r));
    const a2: Claim = { ...a, status: sa };
    const b2: Claim = { ...b, status: sb };
    const round2 = await Promise.all([a2, b2].map((self) => runFunction(request(self, { cloudProvider: cp, deployments: [xr(a2), xr(b2)] }), deps())));
    return [...round1, ...round2].map(results);
  }

  it('counts two claims that raced past a hard budget on their next reconcile, and refuses the newer', async () => {
    const got = await race({ ...base, costControl: { monthlyBudget: 30, enforcementMode: 'hard' } });
    expect(got).toEqual([
      [],
      [],
      [],
      [{ severity: Severity.SEVERITY_FATAL, message: "cannot deploy within the team's limits: team team-a monthly budget of $30.00 exceeded: $23.23/month with $23.23 already counted (1 Deployments) is $46.46" }],
    ]);
  });

  it('warns the newer of two claims over a soft budget, with the numbers', async () => {
    const got = await race({ ...base, costControl: { monthlyBudget: 35, enforcementMode: 'soft' } });
    expect(got.slice(2)).toEqual([
      [],
      [{ severity: Severity.SEVERITY_WARNING, message: 'team team-a monthly budget of $35.00 exceeded: $23.23/month with $23.23 already counted (1 Deployments) is $46.46' }],
    ]);
  });

  it('refuses the newer of two claims over a quota', async () => {
    const got = await race({ ...base, quotas: { maxEc2Instances: 3 } });
    expect(got).toEqual([
      [],
      [],
      [],
      [{ severity: Severity.SEVERITY_FATAL, message: "cannot deploy within the team's limits: team team-a quota maxEc2Instances is 3 EC2 instances: this Deployment runs 2 at its maximum scale, 2 already counted" }],
    ]);
  });
});
