import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomObjectsApi, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { TEST_RULES, TEST_TOKENS, kubeConfigFor, startKubeApiServer, type KubeApiServer } from '@scia/console-api/testing';
import { claim as claimObject } from './support/client.js';

/** claim is a test claim typed as the client library types objects (it reads timestamps as Dates; on the wire they are strings). */
const claim = (...args: Parameters<typeof claimObject>): KubernetesObject & { spec?: unknown } => claimObject(...args) as unknown as KubernetesObject & { spec?: unknown };

// The loopback API server must answer as a real one does, through the real client library.
let kube: KubeApiServer;
beforeAll(async () => {
  kube = await startKubeApiServer({ tokens: TEST_TOKENS, rules: TEST_RULES });
});
afterAll(async () => kube.close());

const objects = (token: string): KubernetesObjectApi => KubernetesObjectApi.makeApiClient(kubeConfigFor(kube.url, token));
const raw = (path: string, token: string | undefined, init: RequestInit = {}): Promise<Response> =>
  fetch(`${kube.url}${path}`, { ...init, headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(init.headers as Record<string, string> | undefined) } });

describe('loopback Kubernetes API server', () => {
  it('serves discovery for the CRDs generated from xrds/', async () => {
    const groups = (await (await raw('/apis', 'alice-token')).json()) as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['scia.io', 'authorization.k8s.io', 'authentication.k8s.io']));
    const list = (await (await raw('/apis/scia.io/v1alpha1', 'alice-token')).json()) as { resources: Array<{ name: string; namespaced: boolean; kind: string }> };
    expect(list.resources.filter((r) => !r.name.includes('/'))).toEqual([
      expect.objectContaining({ name: 'xdeployments', namespaced: false, kind: 'XDeployment' }),
      expect.objectContaining({ name: 'deployments', namespaced: true, kind: 'Deployment' }),
    ]);
  });

  it.each(Object.entries({
    'no token': { token: undefined, path: '/apis/scia.io/v1alpha1/namespaces/team-a/deployments', status: 401 },
    'an unknown token': { token: 'nobody', path: '/apis/scia.io/v1alpha1/namespaces/team-a/deployments', status: 401 },
    'another team\'s namespace': { token: 'bob-token', path: '/apis/scia.io/v1alpha1/namespaces/team-a/deployments', status: 403 },
    'every namespace without a cluster-wide right': { token: 'alice-token', path: '/apis/scia.io/v1alpha1/deployments', status: 403 },
    'its own namespace': { token: 'alice-token', path: '/apis/scia.io/v1alpha1/namespaces/team-a/deployments', status: 200 },
  }))('answers a list with %s: %j', async (_reason, { token, path, status }) => {
    const res = await raw(path, token);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { kind: string; message?: string };
    expect(body.kind).toBe(status === 200 ? 'DeploymentList' : 'Status');
    if (status === 403) expect(body.message).toMatch(/is forbidden: User "(alice|bob)" cannot list resource "deployments" in API group "scia.io"/);
  });

  it('creates by server-side apply, tracks the field manager, and drops fields it no longer applies', async () => {
    const api = objects('alice-token');
    const first = claim('team-a', 'ssa', { spec: { domain: 'ssa.acme.example' } });
    const created = await api.patch(first, undefined, undefined, 'test-manager', false, PatchStrategy.ServerSideApply);
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.managedFields).toEqual([expect.objectContaining({ manager: 'test-manager', operation: 'Apply' })]);
    const { domain: _d, ...rest } = first['spec'] as Record<string, unknown>;
    const second = await api.patch({ ...first, spec: rest }, undefined, undefined, 'test-manager', false, PatchStrategy.ServerSideApply);
    expect((second as { spec?: Record<string, unknown> }).spec).toEqual(rest);
    expect(second.metadata?.generation).toBe(2);
    const noManager = await raw('/apis/scia.io/v1alpha1/namespaces/team-a/deployments/ssa', 'alice-token', { method: 'PATCH', headers: { 'content-type': 'application/apply-patch+yaml' }, body: JSON.stringify(first) });
    expect(noManager.status).toBe(400);
  });

  it('merge-patches annotations, null removing one, and ignores status on the main resource', async () => {
    const api = objects('alice-token');
    await api.patch(claim('team-a', 'mp'), undefined, undefined, 'm', false, PatchStrategy.ServerSideApply);
    const meta = { name: 'mp', namespace: 'team-a' };
    await api.patch({ apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', metadata: { ...meta, annotations: { a: '1', b: '2' } } }, undefined, undefined, 'm', undefined, PatchStrategy.MergePatch);
    const withStatus: KubernetesObject & { status: unknown } = { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', metadata: { ...meta, annotations: { a: null } as unknown as Record<string, string> }, status: { phase: 'Running' } };
    const patched = await api.patch(withStatus, undefined, undefined, 'm', undefined, PatchStrategy.MergePatch);
    expect(patched.metadata?.annotations).toEqual({ b: '2' });
    expect((patched as { status?: unknown }).status).toBeUndefined();
  });

  it('refuses an object its CRD schema refuses, naming the field', async () => {
    const bad = claim('team-a', 'bad', { spec: { region: 42 } });
    const res = await raw('/apis/scia.io/v1alpha1/namespaces/team-a/deployments/bad?fieldManager=m', 'alice-token', { method: 'PATCH', headers: { 'content-type': 'application/apply-patch+yaml' }, body: JSON.stringify(bad) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { details: { causes: Array<{ field: string }> } };
    expect(body.details.causes.map((c) => c.field)).toEqual(['spec.region']);
  });

  it('gets and deletes with the caller\'s rights', async () => {
    await objects('alice-token').patch(claim('team-a', 'gone'), undefined, undefined, 'm', false, PatchStrategy.ServerSideApply);
    const header = { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', metadata: { name: 'gone', namespace: 'team-a' } };
    await expect(objects('bob-token').delete(header)).rejects.toMatchObject({ code: 403 });
    await expect(objects('carol-token').read(header)).resolves.toMatchObject({ metadata: { name: 'gone' } });
    await objects('alice-token').delete(header);
    await expect(objects('alice-token').read(header)).rejects.toMatchObject({ code: 404 });
  });

  it('lists every namespace for a cluster-wide identity, at the current resourceVersion', async () => {
    const before = kube.store.resourceVersion;
    const list = (await kubeConfigFor(kube.url, 'console-token').makeApiClient(CustomObjectsApi).listClusterCustomObject({ group: 'scia.io', version: 'v1alpha1', plural: 'deployments' })) as { metadata: { resourceVersion: string }; items: unknown[] };
    expect(Number(list.metadata.resourceVersion)).toBe(before);
    expect(list.items.length).toBeGreaterThan(0);
  });

  it('answers a watch from a compacted resourceVersion with 410 Expired, and from a recent one with the changes since', async () => {
    const rv = kube.store.resourceVersion;
    kube.put(claimObject('team-b', 'w1'));
    const recent = await (await raw(`/apis/scia.io/v1alpha1/namespaces/team-b/deployments?watch=true&resourceVersion=${rv}&timeoutSeconds=1`, 'bob-token')).text();
    expect(recent.trim().split('\n').map((l) => (JSON.parse(l) as { type: string; object: { metadata: { name: string } } })).map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'w1']]);
    kube.store.compact();
    const old = await (await raw(`/apis/scia.io/v1alpha1/namespaces/team-b/deployments?watch=true&resourceVersion=${rv}`, 'bob-token')).text();
    expect(JSON.parse(old.trim())).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('sends bookmarks to a watch that allows them', async () => {
    const k = await startKubeApiServer({ tokens: TEST_TOKENS, rules: TEST_RULES, bookmarkMs: 50 });
    try {
      const text = await (await fetch(`${k.url}/apis/scia.io/v1alpha1/deployments?watch=true&allowWatchBookmarks=true&resourceVersion=1&timeoutSeconds=1`, { headers: { authorization: 'Bearer console-token' } })).text();
      const types = text.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
      expect(types.length).toBeGreaterThan(3);
      expect(new Set(types)).toEqual(new Set(['BOOKMARK']));
    } finally {
      await k.close();
    }
  });

  it('answers SelfSubjectAccessReview and SelfSubjectReview from the tables', async () => {
    const review = async (token: string, namespace: string): Promise<boolean> => {
      const res = await raw('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec: { resourceAttributes: { verb: 'list', group: 'scia.io', resource: 'deployments', namespace } } }) });
      return ((await res.json()) as { status: { allowed: boolean } }).status.allowed;
    };
    expect([await review('alice-token', 'team-a'), await review('alice-token', 'team-b'), await review('alice-token', ''), await review('root-token', '')]).toEqual([true, false, false, true]);
    const who = await (await raw('/apis/authentication.k8s.io/v1/selfsubjectreviews', 'bob-token', { method: 'POST', body: '{}' })).json();
    expect(who).toMatchObject({ status: { userInfo: { username: 'bob', groups: ['team-b'] } } });
  });
});
