import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '@scia/console-api/testing';
import { claim, eventually, gql } from './support/client.js';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
  c.kube.put(claim('team-a', 'api'));
  c.kube.put(claim('team-b', 'shop'));
  await eventually(() => expect(c.console.cache.all()).toHaveLength(2));
});
afterAll(async () => c.close());

const CREATE = `mutation($input: DeploymentInput!) { createDeployment(input: $input) {
  deployment { id spec { region prompt budget { maxMonthlyCost enforcementMode } strategy } labels { key value } } errors { field message } } }`;
const input = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  namespace: 'team-a', name: 'new-app', repository: { url: 'https://github.com/acme/new-app', ref: 'main' }, region: 'eu-west-3', prompt: 'a small API', ...over,
});

describe('Mutation.createDeployment', () => {
  it('applies the claim server-side as the user, under the console\'s field manager', async () => {
    const r = await gql(c.console.url, 'alice-token', CREATE, { input: input({ budget: { maxMonthlyCost: 100, enforcementMode: 'hard' }, labels: [{ key: 'scia.io/team', value: 'payments' }] }) });
    expect(r.data).toEqual({ createDeployment: { errors: [], deployment: {
      id: 'team-a/new-app', spec: { region: 'eu-west-3', prompt: 'a small API', budget: { maxMonthlyCost: 100, enforcementMode: 'hard' }, strategy: 'auto' }, labels: [{ key: 'scia.io/team', value: 'payments' }],
    } } });
    const stored = c.kube.store.get('deployments.scia.io', 'team-a', 'new-app');
    expect(stored?.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'scia-console', operation: 'Apply' })]);
    expect(stored?.['spec']).toEqual({ repository: { url: 'https://github.com/acme/new-app', ref: 'main' }, region: 'eu-west-3', prompt: 'a small API', budget: { maxMonthlyCost: 100, enforcementMode: 'hard' } });
    const patch = c.kube.requests.filter((q) => q.method === 'PATCH' && q.path === '/apis/scia.io/v1alpha1/namespaces/team-a/deployments/new-app');
    expect(patch.map((q) => [q.user, q.status, new URLSearchParams(q.query).get('fieldManager')])).toEqual([['alice', 201, 'scia-console']]);
    await eventually(() => expect(c.console.cache.get('team-a', 'new-app')).toBeDefined());
  });

  it.each(Object.entries({
    'a region that is not one': { over: { region: 'mars-1' }, errors: [{ field: 'spec.region', message: 'must be an AWS region such as eu-west-3' }] },
    'a hard budget without a ceiling': { over: { budget: { enforcementMode: 'hard' } }, errors: [{ field: 'spec.budget.maxMonthlyCost', message: 'a hard budget needs maxMonthlyCost' }] },
    'an artifact with both kinds': { over: { artifact: { image: 'x:1', s3Bucket: 'bkt', s3Key: 'k.zip' } }, errors: [{ field: 'spec.artifact', message: 'set exactly one of image and s3' }] },
    'overrides out of order': { over: { overrides: { minSize: 3, maxSize: 2 } }, errors: [{ field: 'spec.overrides.minSize', message: 'minSize must not exceed maxSize' }] },
    'an unknown policy': { over: { policies: ['be-fast'] }, errors: [{ field: 'spec.policies[0]', message: expect.stringContaining('require-https') as unknown as string }] },
    'a name that is not a DNS label': { over: { name: 'New_App' }, errors: [{ field: 'name', message: 'must be a DNS label: lower-case letters, digits and -, at most 63' }] },
  }))('returns field errors for %s and applies nothing', async (_reason, { over, errors }) => {
    const before = c.kube.requests.filter((q) => q.method === 'PATCH').length;
    const r = await gql(c.console.url, 'alice-token', CREATE, { input: input({ name: 'invalid', ...over }) });
    expect(r.data).toEqual({ createDeployment: { deployment: null, errors } });
    expect(c.kube.requests.filter((q) => q.method === 'PATCH').length).toBe(before);
  });

  it('returns the API server\'s refusal when RBAC denies the user', async () => {
    const r = await gql(c.console.url, 'bob-token', CREATE, { input: input({ name: 'intruder' }) });
    expect(r.data).toEqual({ createDeployment: { deployment: null, errors: [{ field: '', message: expect.stringContaining('User "bob" cannot patch resource "deployments" in API group "scia.io" in the namespace "team-a"') as string }] } });
    expect(c.kube.store.get('deployments.scia.io', 'team-a', 'intruder')).toBeUndefined();
  });
});

describe('Mutation.provideFeedback', () => {
  const FEEDBACK = 'mutation($id: ID!, $value: Int!, $comment: String) { provideFeedback(id: $id, value: $value, comment: $comment) { deployment { id feedback { value comment } } errors { field message } } }';

  it('sets the annotations the record step reads, and a second call replaces them', async () => {
    const up = await gql(c.console.url, 'alice-token', FEEDBACK, { id: 'team-a/api', value: 1, comment: 'fast and cheap' });
    expect(up.data).toEqual({ provideFeedback: { errors: [], deployment: { id: 'team-a/api', feedback: { value: 1, comment: 'fast and cheap' } } } });
    expect(c.kube.store.get('deployments.scia.io', 'team-a', 'api')?.metadata.annotations).toEqual({ 'scia.io/feedback': '+1', 'scia.io/feedback-comment': 'fast and cheap' });
    const down = await gql(c.console.url, 'alice-token', FEEDBACK, { id: 'team-a/api', value: -1 });
    expect(down.data).toEqual({ provideFeedback: { errors: [], deployment: { id: 'team-a/api', feedback: { value: -1, comment: null } } } });
    expect(c.kube.store.get('deployments.scia.io', 'team-a', 'api')?.metadata.annotations).toEqual({ 'scia.io/feedback': '-1' });
  });

  it.each(Object.entries({
    'a value other than 1 or -1': { token: 'alice-token', vars: { id: 'team-a/api', value: 0 }, errors: [{ field: 'value', message: 'must be 1 or -1, got 0' }] },
    'a read-only user': { token: 'carol-token', vars: { id: 'team-a/api', value: 1 }, errors: [{ field: '', message: expect.stringContaining('User "carol" cannot patch resource "deployments"') as string }] },
    'another team': { token: 'bob-token', vars: { id: 'team-a/api', value: 1 }, errors: [{ field: '', message: expect.stringContaining('User "bob" cannot patch') as string }] },
    'a Deployment that does not exist': { token: 'alice-token', vars: { id: 'team-a/nope', value: 1 }, errors: [{ field: '', message: expect.stringContaining('not found') as string }] },
  }))('refuses %s', async (_reason, { token, vars, errors }) => {
    const r = await gql(c.console.url, token, FEEDBACK, vars);
    expect(r.data).toEqual({ provideFeedback: { deployment: null, errors } });
  });
});

describe('Mutation.deleteDeployment', () => {
  const DELETE = 'mutation($id: ID!) { deleteDeployment(id: $id) { id deleted errors { field message } } }';

  it('deletes as the user, and refuses another team', async () => {
    const denied = await gql(c.console.url, 'alice-token', DELETE, { id: 'team-b/shop' });
    expect(denied.data).toEqual({ deleteDeployment: { id: 'team-b/shop', deleted: false, errors: [{ field: '', message: expect.stringContaining('User "alice" cannot delete resource "deployments"') as string }] } });
    const ok = await gql(c.console.url, 'bob-token', DELETE, { id: 'team-b/shop' });
    expect(ok.data).toEqual({ deleteDeployment: { id: 'team-b/shop', deleted: true, errors: [] } });
    expect(c.kube.store.get('deployments.scia.io', 'team-b', 'shop')).toBeUndefined();
    await eventually(() => expect(c.console.cache.get('team-b', 'shop')).toBeUndefined());
  });

  it('refuses a request without a token before touching the cluster', async () => {
    const before = c.kube.requests.length;
    const r = await gql(c.console.url, undefined, DELETE, { id: 'team-a/api' });
    expect([r.status, r.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(c.kube.requests.length).toBe(before);
  });
});
