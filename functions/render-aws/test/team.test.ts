import { describe, expect, it } from 'vitest';
import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { ContextKey, RequiredName, type Strategy } from '@scia/api';
import { RenderCache, runFunction } from '@scia/function-render-aws';
import { decodeRequest, encodeResponse, type JsonObject } from '@scia/runtime';
import { crdDir } from '@scia/schemas';
import { at, desiredResources, invalidResources, results } from './fixtures/check.js';
import { analysis, decision, spec, xr, type Scope } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const crds = crdDir();
const withCrds = crds.exists ? it : it.skip;

/** TEAM_TAGS are the CloudProvider's tags; `managed-by` tries to replace SCIA's own and must not. */
const TEAM_TAGS = { 'cost-center': 'cc-42', 'managed-by': 'someone-else' };

function cloudProvider(status: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'CloudProvider',
    metadata: { name: 'acme', namespace: 'team-backend' },
    spec: { credentials: { source: 'Secret', secretRef: { name: 'aws-creds' } }, defaultRegion: 'eu-west-3', tags: TEAM_TAGS },
    status,
  };
}

/** request is a render request for a Deployment naming CloudProvider acme; `found` answers the requirement (undefined: not yet). */
function request(scope: Scope, strategy: Strategy, found?: JsonObject[]): RunFunctionRequest {
  return RunFunctionRequest.fromPartial({
    meta: { tag: 't' },
    observed: { composite: { resource: xr(scope, spec({ cloudProvider: 'acme', strategy, policies: ['require-https', 'enable-monitoring'], domain: 'api.acme.example', artifact: { image: '123456789012.dkr.ecr.eu-west-3.amazonaws.com/api:1.0.0' } })) } },
    desired: { composite: { resource: {} }, resources: {} },
    context: { [ContextKey.decision]: decision({ strategy }), [ContextKey.analysis]: analysis() },
    ...(found === undefined ? {} : { requiredResources: { [RequiredName.cloudProvider]: { items: found.map((resource) => ({ resource })) } } }),
  });
}

const isAws = (r: JsonObject): boolean => /\.aws(\.m)?\.upbound\.io\//.test(String(r['apiVersion']));

/** teamFields lists, per AWS managed resource, its ProviderConfig reference and the team tags it carries. */
function teamFields(rsp: RunFunctionResponse): { refs: unknown[]; tagged: string[]; untagged: string[] } {
  const aws = Object.entries(desiredResources(rsp)).filter(([, r]) => isAws(r));
  const refs = [...new Set(aws.map(([, r]) => JSON.stringify(at(r, 'spec', 'providerConfigRef'))))].map((s) => JSON.parse(s) as unknown);
  const tagged: string[] = [];
  const untagged: string[] = [];
  for (const [name, r] of aws) {
    const map = at(r, 'spec', 'forProvider', 'tags') as Record<string, string> | undefined;
    const list = at(r, 'spec', 'forProvider', 'tag') as Array<{ key: string; value: string }> | undefined;
    const pairs = map ?? (list === undefined ? undefined : Object.fromEntries(list.map((t) => [t.key, t.value])));
    if (pairs === undefined) continue;
    (pairs['cost-center'] === 'cc-42' && pairs['managed-by'] === 'scia' ? tagged : untagged).push(name);
  }
  return { refs, tagged, untagged };
}

describe('render-aws with a team CloudProvider', () => {
  const cases: Record<string, { scope: Scope; strategy: Strategy; status: JsonObject; ref: JsonObject }> = {};
  for (const strategy of ['vm', 'kubernetes', 'serverless'] as const) {
    cases[`${strategy}/namespaced`] = { scope: 'namespaced', strategy, status: {}, ref: { kind: 'ProviderConfig', name: 'acme' } };
    cases[`${strategy}/cluster`] = { scope: 'cluster', strategy, status: { providerConfigName: 'acme-x9f2k' }, ref: { name: 'acme-x9f2k' } };
  }

  it.each(Object.entries(cases))('%s: the team\'s ProviderConfig and tags on every AWS managed resource, SCIA\'s tags kept', async (_, c) => {
    const rsp = await runFunction(request(c.scope, c.strategy, [cloudProvider(c.status)]), { clock });
    const got = teamFields(rsp);
    expect({ results: results(rsp).filter((r) => r.startsWith('fatal')), refs: got.refs, untagged: got.untagged, some: got.tagged.length > 3 }).toEqual({
      results: [],
      refs: [c.ref],
      untagged: [],
      some: true,
    });
  });

  withCrds.each(Object.entries(cases))('%s: every resource still validates against its CRD', async (_, c) => {
    const rsp = await runFunction(request(c.scope, c.strategy, [cloudProvider(c.status)]), { clock });
    expect(invalidResources(rsp)).toEqual({});
  });

  it('asks for the CloudProvider first and renders nothing before it is answered', async () => {
    const rsp = await runFunction(request('namespaced', 'vm'), { clock });
    expect({ requirements: rsp.requirements?.resources, resources: Object.keys(desiredResources(rsp)), ttl: rsp.meta?.ttl?.seconds }).toEqual({
      requirements: { [RequiredName.cloudProvider]: { apiVersion: 'scia.io/v1alpha1', kind: 'CloudProvider', matchName: 'acme', namespace: 'team-backend' } },
      resources: [],
      ttl: 5,
    });
  });

  it('refuses a CloudProvider that does not exist, naming it', async () => {
    const rsp = await runFunction(request('namespaced', 'vm', []), { clock });
    expect(results(rsp)).toEqual([
      "fatal: cannot render AWS resources: spec.cloudProvider: CloudProvider team-backend/acme (spec.cloudProvider) does not exist; create it, or set spec.cloudProvider to aws for the platform's account",
    ]);
  });

  it('keeps what is deployed while a v1 CloudProvider has not reported its ProviderConfig', async () => {
    const rsp = await runFunction(request('cluster', 'vm', [cloudProvider()]), { clock });
    expect({ results: results(rsp), resources: Object.keys(desiredResources(rsp)), ttl: rsp.meta?.ttl?.seconds }).toEqual({
      results: ['warning: cannot render AWS resources, keeping what is deployed: CloudProvider team-backend/acme reports no ProviderConfig yet (status.providerConfigName)'],
      resources: [],
      ttl: 5,
    });
  });

  it("renders a CloudProvider's new tags afresh through a cache, as a fresh render does", async () => {
    const renders = new RenderCache();
    const retagged = { ...cloudProvider(), spec: { ...(cloudProvider()['spec'] as JsonObject), tags: { 'cost-center': 'cc-43' } } };
    const encode = (rsp: RunFunctionResponse): string => Buffer.from(encodeResponse(rsp)).toString('base64');
    // Decoded lazily, as served: the memo then sees the same spec, context and observed resources on both calls.
    const lazy = (found: JsonObject): RunFunctionRequest => decodeRequest(RunFunctionRequest.encode(request('namespaced', 'vm', [found])).finish(), 'lazy');
    const outs: string[] = [];
    for (const found of [cloudProvider(), retagged]) {
      const cached = encode(await runFunction(lazy(found), { clock, renders }));
      expect(cached).toBe(encode(await runFunction(lazy(found), { clock })));
      outs.push(cached);
    }
    expect(outs[1]).not.toBe(outs[0]);
  });
});
