import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '@scia/console-api/testing';
import { claim, eventually } from './support/client.js';

// The console's cache is fed by list + watch: resumed from the last resourceVersion, re-listed on 410 Gone.
let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ kube: { bookmarkMs: 100 } });
});
afterAll(async () => c.close());

const lists = (): number => c.kube.requests.filter((r) => r.path === '/apis/scia.io/v1alpha1/deployments' && !r.query.includes('watch=true')).length;
const names = (): string[] => c.console.cache.all().map((v) => v.id).sort();

describe('the console\'s informers', () => {
  it('list once, then follow the watch with bookmarks allowed', async () => {
    expect(lists()).toBe(1);
    c.kube.put(claim('team-a', 'one'));
    await eventually(() => expect(names()).toEqual(['team-a/one']));
    const watch = c.kube.requests.find((r) => r.path === '/apis/scia.io/v1alpha1/deployments' && r.query.includes('watch=true'));
    expect(watch).toBeUndefined(); // still open: recorded when it ends
    c.kube.endWatches();
    await eventually(() => expect(c.kube.requests.some((r) => r.query.includes('watch=true') && r.query.includes('allowWatchBookmarks=true'))).toBe(true));
  });

  it('resume a dropped watch from the last resourceVersion without listing again', async () => {
    const before = lists();
    c.kube.endWatches();
    c.kube.put(claim('team-a', 'two'));
    await eventually(() => expect(names()).toEqual(['team-a/one', 'team-a/two']));
    expect(lists()).toBe(before);
    const resumed = c.kube.requests.filter((r) => r.query.includes('watch=true') && r.path.endsWith('/deployments')).at(-1);
    expect(resumed?.query).toMatch(/resourceVersion=[1-9]\d*/);
  });

  it('list again when the API server answers 410 Gone, catching up with what changed meanwhile', async () => {
    const before = lists();
    // A long disconnection: changes happen and the history behind them is compacted away.
    const release = c.kube.holdWatches();
    c.kube.remove('scia.io/v1alpha1', 'Deployment', 'team-a', 'one');
    c.kube.store.compact();
    release();
    await eventually(() => expect(lists()).toBe(before + 1));
    await eventually(() => expect(names()).toEqual(['team-a/two']));
  });

  it('keep the events about SCIA objects, selected by the API server', async () => {
    c.kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'two.1', namespace: 'team-a' }, involvedObject: { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', name: 'two', namespace: 'team-a' }, reason: 'Decided', message: 'vm by rules', type: 'Normal', count: 1, lastTimestamp: '2026-01-01T00:00:00Z' });
    c.kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'other.1', namespace: 'team-a' }, involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'two', namespace: 'team-a' }, reason: 'ScalingReplicaSet', message: 'not ours', type: 'Normal' });
    const two = c.console.cache.get('team-a', 'two');
    if (two === undefined) throw new Error('team-a/two is not cached');
    await eventually(() => expect(c.console.cache.eventsOf(two).map((e) => e.reason)).toEqual(['Decided']));
    expect(c.kube.requests.some((r) => r.path === '/api/v1/events' && decodeURIComponent(r.query).includes('involvedObject.apiVersion=scia.io/v1alpha1'))).toBe(true);
  });
});
