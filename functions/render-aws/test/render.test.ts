import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Policy, Strategy } from '@scia/api';
import { runFunction } from '@scia/function-render-aws';
import { crdDir } from '@scia/schemas';
import { at, desiredResources, invalidResources, kindsOf, results } from './fixtures/check.js';
import * as K from './fixtures/kinds.js';
import { analysis, decision, request, spec, xr, type Scope } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const crds = crdDir();
const withCrds = crds.exists ? it : it.skip;
if (!crds.exists) console.warn(`skipping CRD validation of rendered resources: no CRDs at ${crds.dir} (npm run crds)`);

const POLICY_SETS: Record<string, Policy[]> = {
  plain: [],
  https: ['require-https'],
  monitoring: ['enable-monitoring'],
  both: ['require-https', 'enable-monitoring'],
};

function expectedKinds(strategy: Strategy, policies: Policy[]): Record<string, string> {
  const https = policies.includes('require-https');
  const monitoring = policies.includes('enable-monitoring');
  if (strategy === 'vm') return { ...K.VM, ...(https ? K.VM_HTTPS : {}), ...(monitoring ? K.VM_MONITORING : {}) };
  if (strategy === 'serverless') return { ...K.SERVERLESS, ...(monitoring ? K.SERVERLESS_MONITORING : {}) };
  const { 'workload-service': service, ...withoutService } = K.KUBERNETES;
  // Under require-https the Service waits for the certificate's ARN, which nothing has observed yet.
  const base = https ? { ...withoutService, cert: 'Certificate' } : { ...withoutService, 'workload-service': service };
  return { ...base, ...(monitoring ? K.KUBERNETES_MONITORING : {}) };
}

interface Case {
  strategy: Strategy;
  policies: Policy[];
  scope: Scope;
}

const cases: Record<string, Case> = {};
for (const strategy of ['vm', 'kubernetes', 'serverless'] as const) {
  for (const [set, policies] of Object.entries(POLICY_SETS)) {
    for (const scope of ['cluster', 'namespaced'] as const) cases[`${strategy}/${set}/${scope}`] = { strategy, policies, scope };
  }
}

const render = (c: Case) =>
  runFunction(
    request({
      xr: xr(
        c.scope,
        spec({
          policies: c.policies,
          ...(c.strategy === 'serverless' ? { artifact: { image: '123456789012.dkr.ecr.eu-west-3.amazonaws.com/flask-api:1.4.2' } } : {}),
          domain: 'api.example.com',
        }),
      ),
      context: { 'scia.io/decision': decision({ strategy: c.strategy }), 'scia.io/analysis': analysis() },
    }),
    { clock },
  );

describe('render per strategy, policies and scope', () => {
  it.each(Object.entries(cases))('%s renders the expected kinds, no results', async (_name, c) => {
    const rsp = await render(c);
    expect(results(rsp)).toEqual([]);
    expect(kindsOf(rsp)).toEqual(expectedKinds(c.strategy, c.policies));
    expect(rsp.meta?.tag).toBe('render-tag');
    expect(rsp.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
  });

  withCrds.each(Object.entries(cases))('%s: every resource validates against its pinned CRD', async (_name, c) => {
    expect(invalidResources(await render(c))).toEqual({});
  });

  it.each(Object.entries(cases))('%s: scope picks the kind family; names, labels and tags derive from the XR', async (_name, c) => {
    const rsp = await render(c);
    const base = c.scope === 'cluster' ? 'flask-api-x7k2p' : 'flask-api';
    for (const [key, r] of Object.entries(desiredResources(rsp))) {
      const apiVersion = String(r['apiVersion']);
      const family = apiVersion.includes('crossplane.io') ? /^kubernetes\.(m\.)?crossplane\.io\// : /\.aws\.(m\.)?upbound\.io\//;
      expect(family.exec(apiVersion)?.[1] === 'm.', `${key} ${apiVersion}`).toBe(c.scope === 'namespaced');
      expect(at(r, 'metadata', 'name')).toBe(`${base}-${key}`);
      expect(at(r, 'metadata', 'namespace')).toBe(c.scope === 'namespaced' ? 'team-backend' : undefined);
      expect(at(r, 'metadata', 'labels')).toMatchObject({ 'scia.io/component': key, 'scia.io/deployment': 'flask-api' });
      const tags = at(r, 'spec', 'forProvider', 'tags');
      if (tags !== undefined) {
        expect(tags, key).toMatchObject({ 'managed-by': 'scia', 'scia.io/deployment': 'flask-api', 'scia.io/namespace': 'team-backend' });
      }
    }
  });

  it.each(Object.entries(cases))('%s: the same inputs give byte-identical output', async (_name, c) => {
    expect(JSON.stringify(await render(c))).toBe(JSON.stringify(await render(c)));
  });
});

describe('whole responses', () => {
  const golden = Object.entries(cases).filter(([name]) => name.includes('/both/'));
  it.each(golden)('%s matches its golden file', async (name, c) => {
    const rsp = await render(c);
    await expect(stringify(rsp, { lineWidth: 0 })).toMatchFileSnapshot(`golden/${name.replace(/\//g, '-')}.yaml`);
  });
});

describe('the kubernetes strategy reaches its cluster', () => {
  const kube = Object.entries(cases).filter(([name]) => name.startsWith('kubernetes/'));
  it.each(kube)('%s: the Objects use a ProviderConfig reading the kubeconfig the ClusterAuth writes', async (_name, c) => {
    const resources = desiredResources(await render(c));
    const auth = resources['cluster-auth'];
    const pc = resources['k8s'];
    const secret = at(auth, 'spec', 'writeConnectionSecretToRef');
    // A namespaced managed resource writes its connection secret in its own namespace.
    const written = { name: at(secret, 'name'), namespace: at(secret, 'namespace') ?? at(auth, 'metadata', 'namespace') };
    expect(at(auth, 'spec', 'forProvider', 'clusterNameSelector')).toEqual({ matchControllerRef: true, matchLabels: { 'scia.io/component': 'cluster' } });
    expect(at(pc, 'spec', 'credentials')).toEqual({ source: 'Secret', secretRef: { ...written, key: 'kubeconfig' } });
    expect(at(resources['cluster'], 'spec', 'writeConnectionSecretToRef'), 'only the ClusterAuth writes the secret').toBeUndefined();
    const objects = Object.entries(resources).filter(([, r]) => r['kind'] === 'Object');
    expect(objects.length).toBeGreaterThan(0);
    for (const [key, o] of objects) expect(at(o, 'spec', 'providerConfigRef', 'name'), key).toBe(at(pc, 'metadata', 'name'));
  });
});
