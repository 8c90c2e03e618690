import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '@scia/console-api/testing';
import { claim, collect, eventually, wsClient } from './support/client.js';
import { runningStatus } from './support/seed.js';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => c.close());

const SUB = 'subscription($ns: String) { deploymentUpdated(namespace: $ns) { type deployment { id phase decision { strategy } } } }';
const settle = (): Promise<void> => new Promise((ok) => setTimeout(ok, 300));

describe('Subscription.deploymentUpdated over graphql-ws', () => {
  it('streams a team\'s changes from the watch, in order, and none of another team\'s', async () => {
    const client = wsClient(c.console.wsUrl, 'alice-token');
    const all = collect(client, SUB, {});
    const one = collect(client, SUB, { ns: 'team-a' });
    await eventually(() => expect(c.console.metrics.subscribers.get()).resolves.toMatchObject({ values: [{ value: 2 }] }));
    c.kube.put(claim('team-b', 'secret-app'));
    c.kube.put(claim('team-a', 'api'));
    c.kube.put(claim('team-a', 'api', { status: runningStatus('vm', 50) }));
    c.kube.remove('scia.io/v1alpha1', 'Deployment', 'team-a', 'api');
    const want = [
      { deploymentUpdated: { type: 'ADDED', deployment: { id: 'team-a/api', phase: null, decision: null } } },
      { deploymentUpdated: { type: 'MODIFIED', deployment: { id: 'team-a/api', phase: 'Running', decision: { strategy: 'vm' } } } },
      { deploymentUpdated: { type: 'DELETED', deployment: { id: 'team-a/api', phase: 'Running', decision: { strategy: 'vm' } } } },
    ];
    for (const s of [all, one]) expect([await s.next(), await s.next(), await s.next()]).toEqual(want);
    await settle();
    expect([all.messages.length, one.messages.length]).toEqual([3, 3]);
    all.stop();
    one.stop();
    await client.dispose();
    await eventually(() => expect(c.console.metrics.subscribers.get()).resolves.toMatchObject({ values: [{ value: 0 }] }));
  });

  it('gives a cluster-wide reader every namespace', async () => {
    const client = wsClient(c.console.wsUrl, 'root-token');
    const s = collect(client, SUB, {});
    await eventually(() => expect(c.console.metrics.subscribers.get()).resolves.toMatchObject({ values: [{ value: 1 }] }));
    c.kube.put(claim('team-b', 'shop'));
    c.kube.put(claim('team-a', 'web'));
    expect([await s.next(), await s.next()].map((m) => (m['deploymentUpdated'] as { deployment: { id: string } }).deployment.id)).toEqual(['team-b/shop', 'team-a/web']);
    s.stop();
    await client.dispose();
  });

  it('refuses a subscription to a namespace RBAC does not let the user watch', async () => {
    const client = wsClient(c.console.wsUrl, 'alice-token');
    const s = collect(client, SUB, { ns: 'team-b' });
    await s.done;
    expect(s.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('cannot watch deployments.scia.io in namespace "team-b"') as string, extensions: { code: 'FORBIDDEN' } })]);
    await client.dispose();
  });

  it.each(Object.entries({
    'no token': { token: undefined },
    'a token the API server refuses': { token: 'stolen' },
  }))('closes a connection with %s as 4401 Unauthorized', async (_reason, { token }) => {
    let closed: number | undefined;
    const client = wsClient(c.console.wsUrl, token, (code) => (closed = code));
    const s = collect(client, SUB, {});
    await s.done;
    expect(closed).toBe(4401);
    expect(s.messages).toEqual([]);
    await client.dispose();
  });

  it('runs queries over the same connection, with the same limits', async () => {
    const client = wsClient(c.console.wsUrl, 'alice-token');
    const q = collect(client, '{ deployments { totalCount } }');
    await q.done;
    expect(q.messages).toEqual([{ deployments: { totalCount: 1 } }]);
    const costly = collect(client, '{ deployments(first: 1000) { edges { node { resources { name } similarCases { id } } } } }');
    await costly.done;
    expect(costly.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
    await client.dispose();
  });
});
