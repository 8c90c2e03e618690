import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managedResource, startTestCluster, type TestCluster } from '@scia/console-api/testing';
import { gql, eventually } from './support/client.js';
import { seed } from './support/seed.js';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ kube: { resources: [managedResource('s3.aws.m.upbound.io/v1beta1', 'Bucket', 'buckets', true), managedResource('ec2.aws.m.upbound.io/v1beta1', 'Instance', 'instances', true)] } });
  seed(c.kube);
  await eventually(() => expect(c.console.cache.all()).toHaveLength(5));
});
afterAll(async () => c.close());

const LIST = `query($ns: String, $phase: Phase, $strategy: Strategy, $first: Int, $after: String) {
  deployments(namespace: $ns, phase: $phase, strategy: $strategy, first: $first, after: $after) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
type Page = { deployments: { totalCount: number; edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
const ids = (data: unknown): string[] => (data as Page).deployments.edges.map((e) => e.node.id);

describe('Query.deployments', () => {
  it.each(Object.entries({
    'a team member sees only its namespace, newest first': { token: 'alice-token', vars: {}, want: ['team-a/fresh', 'team-a/worker', 'team-a/api'] },
    'the other team sees only its own': { token: 'bob-token', vars: {}, want: ['team-b/blog', 'team-b/shop'] },
    'a cluster admin sees every namespace': { token: 'root-token', vars: {}, want: ['team-b/blog', 'team-b/shop', 'team-a/fresh', 'team-a/worker', 'team-a/api'] },
    'a read-only user sees what RBAC lets it read': { token: 'carol-token', vars: {}, want: ['team-a/fresh', 'team-a/worker', 'team-a/api'] },
    'filtered by phase': { token: 'root-token', vars: { phase: 'Running' }, want: ['team-b/blog', 'team-b/shop', 'team-a/worker', 'team-a/api'] },
    'filtered by strategy': { token: 'root-token', vars: { strategy: 'serverless' }, want: ['team-b/blog', 'team-a/worker'] },
    'filtered by namespace': { token: 'root-token', vars: { ns: 'team-b' }, want: ['team-b/blog', 'team-b/shop'] },
  }))('%s', async (_reason, { token, vars, want }) => {
    const r = await gql(c.console.url, token, LIST, vars);
    expect(r.errors).toBeUndefined();
    expect(ids(r.data)).toEqual(want);
    expect((r.data as Page).deployments.totalCount).toBe(want.length);
  });

  it('pages with cursors until the end', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await gql(c.console.url, 'root-token', LIST, { first: 2, after });
      const page = (r.data as Page).deployments;
      seen.push(...ids(r.data));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['team-b/blog', 'team-b/shop', 'team-a/fresh', 'team-a/worker', 'team-a/api']);
  });

  it.each(Object.entries({
    'no token': { token: undefined, vars: {}, status: 401, code: 'UNAUTHENTICATED' },
    'a token the API server refuses': { token: 'stolen', vars: {}, status: 401, code: 'UNAUTHENTICATED' },
    'another team\'s namespace': { token: 'alice-token', vars: { ns: 'team-b' }, status: 200, code: 'FORBIDDEN' },
    'a page over the cap': { token: 'alice-token', vars: { first: 1001 }, status: 200, code: 'BAD_USER_INPUT' },
    'a cursor not from this API': { token: 'alice-token', vars: { after: 'bm9wZQ' }, status: 200, code: 'BAD_USER_INPUT' },
  }))('refuses %s', async (_reason, { token, vars, status, code }) => {
    const r = await gql(c.console.url, token, LIST, vars);
    expect(r.status).toBe(status);
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(r.data ?? null).toBeNull();
  });

  it('reads a page from the cache: no API call per Deployment', async () => {
    const before = c.kube.requests.length;
    const r = await gql(c.console.url, 'root-token', '{ deployments(first: 100) { edges { node { id spec { region } decision { strategy } cost { estimatedMonthly } events { reason } } } } }');
    expect(ids(r.data)).toHaveLength(5);
    const calls = c.kube.requests.slice(before).filter((q) => !q.path.endsWith('selfsubjectaccessreviews') && !q.path.endsWith('selfsubjectreviews'));
    expect(calls).toEqual([]);
  });
});

describe('Query.deployment', () => {
  const DETAIL = `query($id: ID!) { deployment(id: $id) {
    id namespace name team labels { key value } phase message ready observedGeneration
    spec { repository { url ref hasCredentials } region budget { maxMonthlyCost alertThreshold enforcementMode } strategy policies providerConfigName }
    conditions { type status } endpoints { url type }
    decision { strategy reason confidence decidedBy inputHash config alternatives { strategy estimatedMonthlyCost } citedCaseIds }
    cost { estimatedMonthly currency breakdown { item monthly } budget budgetUse }
    history { event message } feedback { value comment } events { type reason message count }
    resources { kind name ready synced message } } }`;

  it('shows spec, status, decision, cost, history, events and composed resources', async () => {
    c.kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'api.1', namespace: 'team-a' }, involvedObject: { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', name: 'api', namespace: 'team-a' }, type: 'Warning', reason: 'BudgetAlert', message: 'at 60% of budget', count: 2, lastTimestamp: '2026-01-02T00:00:00Z' });
    const live = c.kube.store.get('deployments.scia.io', 'team-a', 'api');
    c.kube.put({ ...live!, spec: { ...(live!['spec'] as object), crossplane: { resourceRefs: [{ apiVersion: 's3.aws.m.upbound.io/v1beta1', kind: 'Bucket', name: 'api-assets' }, { apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'Instance', name: 'api-vm' }] } } });
    c.kube.put({ apiVersion: 's3.aws.m.upbound.io/v1beta1', kind: 'Bucket', metadata: { name: 'api-assets', namespace: 'team-a' }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'True' }] } });
    await eventually(async () => expect((await gql(c.console.url, 'alice-token', DETAIL, { id: 'team-a/api' })).data).toMatchObject({ deployment: { events: [{ reason: 'BudgetAlert' }] } }));
    const r = await gql(c.console.url, 'alice-token', DETAIL, { id: 'team-a/api' });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ deployment: {
      id: 'team-a/api', namespace: 'team-a', name: 'api', team: 'payments', labels: [{ key: 'scia.io/team', value: 'payments' }],
      phase: 'Running', message: 'all resources ready', ready: true, observedGeneration: 1,
      spec: { repository: { url: 'https://github.com/acme/api', ref: 'main', hasCredentials: false }, region: 'eu-west-3', budget: { maxMonthlyCost: 200, alertThreshold: 0.8, enforcementMode: 'soft' }, strategy: 'auto', policies: [], providerConfigName: 'default' },
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'True' }],
      endpoints: [{ url: 'https://app.example', type: 'load-balancer' }],
      decision: { strategy: 'vm', reason: 'vm fits the traffic and the budget', confidence: 0.8, decidedBy: 'rules', inputHash: 'hash-vm-120', config: { instanceType: 't3.small' }, alternatives: [{ strategy: 'serverless', estimatedMonthlyCost: 60 }], citedCaseIds: [] },
      cost: { estimatedMonthly: 120, currency: 'USD', breakdown: [{ item: 'compute', monthly: 120 }], budget: 200, budgetUse: 0.6 },
      history: [{ event: 'Decided', message: 'vm by rules' }], feedback: null,
      events: [{ type: 'Warning', reason: 'BudgetAlert', message: 'at 60% of budget', count: 2 }],
      resources: [
        { kind: 'Bucket', name: 'api-assets', ready: true, synced: true, message: null },
        { kind: 'Instance', name: 'api-vm', ready: null, synced: null, message: 'not found' },
      ],
    } });
  });

  it('hides events from a user who may read Deployments but not events', async () => {
    const r = await gql(c.console.url, 'carol-token', '{ deployment(id: "team-a/api") { id events { reason } } }');
    expect(r.data).toEqual({ deployment: { id: 'team-a/api', events: [] } });
  });

  it('never returns a secret: only whether credentials are referenced', async () => {
    const r = await gql(c.console.url, 'bob-token', '{ deployment(id: "team-b/blog") { spec { repository { url hasCredentials } } } }');
    expect(r.data).toEqual({ deployment: { spec: { repository: { url: 'https://github.com/acme/blog', hasCredentials: true } } } });
    expect(JSON.stringify(r)).not.toContain('blog-git-secret');
  });

  it.each(Object.entries({
    'another team\'s Deployment': { token: 'bob-token', id: 'team-a/api', data: { deployment: null }, code: 'FORBIDDEN' },
    'one that does not exist': { token: 'alice-token', id: 'team-a/nope', data: { deployment: null }, code: undefined },
    'a malformed id': { token: 'alice-token', id: 'api', data: { deployment: null }, code: 'BAD_USER_INPUT' },
  }))('answers null for %s', async (_reason, { token, id, data, code }) => {
    const r = await gql(c.console.url, token, 'query($id: ID!) { deployment(id: $id) { id } }', { id });
    expect(r.data).toEqual(data);
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(code === undefined ? undefined : [code]);
  });
});

describe('Query.costs and Query.namespaces', () => {
  it.each(Object.entries({
    'by namespace for an admin': { token: 'root-token', groupBy: 'namespace', want: [
      { key: 'team-a', count: 3, estimatedMonthly: 130, budget: 200, budgetUse: 0.6 },
      { key: 'team-b', count: 2, estimatedMonthly: 305, budget: 500, budgetUse: 0.6 },
    ] },
    'by strategy for a team': { token: 'alice-token', groupBy: 'strategy', want: [
      { key: 'serverless', count: 1, estimatedMonthly: 10, budget: null, budgetUse: null },
      { key: 'undecided', count: 1, estimatedMonthly: 0, budget: null, budgetUse: null },
      { key: 'vm', count: 1, estimatedMonthly: 120, budget: 200, budgetUse: 0.6 },
    ] },
    'by team label, else namespace': { token: 'alice-token', groupBy: 'team', want: [
      { key: 'payments', count: 1, estimatedMonthly: 120, budget: 200, budgetUse: 0.6 },
      { key: 'team-a', count: 2, estimatedMonthly: 10, budget: null, budgetUse: null },
    ] },
  }))('totals %s', async (_reason, { token, groupBy, want }) => {
    const r = await gql(c.console.url, token, `{ costs(groupBy: ${groupBy}) { key count estimatedMonthly budget budgetUse } }`);
    expect(r.data).toEqual({ costs: want });
  });

  it('lists the namespaces a user may see', async () => {
    const [alice, root, nobody] = await Promise.all(['alice-token', 'root-token', 'console-token'].map((t) => gql(c.console.url, t, '{ namespaces }')));
    expect([alice?.data, root?.data, nobody?.data]).toEqual([{ namespaces: ['team-a'] }, { namespaces: ['team-a', 'team-b'] }, { namespaces: ['team-a', 'team-b'] }]);
  });
});
