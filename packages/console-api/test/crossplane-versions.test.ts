import { afterEach, describe, expect, it } from 'vitest';
import { managedResource, startTestCluster, type TestCluster } from '@scia/console-api/testing';
import { claim, eventually, gql } from './support/client.js';

// The same API over both XRDs: the v1 claim (composed resources through its cluster-scoped XR)
// and the v2 namespaced XR (composed resources in its own spec.crossplane.resourceRefs).
let c: TestCluster | undefined;
afterEach(async () => c?.close());

const RESOURCES = '{ deployment(id: "team-a/api") { id resources { apiVersion kind name namespace ready synced message } } }';
const ready = { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'True' }] };
const waiting = { conditions: [{ type: 'Ready', status: 'False', message: 'creating' }, { type: 'Synced', status: 'True' }] };

describe('composed resources', () => {
  it('follows a v1 claim to its XR, as far as the user may read', async () => {
    c = await startTestCluster({ kube: { xrd: 'v1', resources: [managedResource('ec2.aws.upbound.io/v1beta1', 'Instance', 'instances', false)] } });
    c.kube.put(claim('team-a', 'api', { spec: { resourceRef: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', name: 'api-x7k2' } } }));
    c.kube.put({ apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'api-x7k2' }, spec: { repository: { url: 'https://github.com/acme/api' }, region: 'eu-west-3', resourceRefs: [{ apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'Instance', name: 'api-x7k2-vm' }] } });
    c.kube.put({ apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'Instance', metadata: { name: 'api-x7k2-vm' }, status: waiting });
    await eventually(() => expect(c?.console.cache.all()).toHaveLength(1));
    const root = await gql(c.console.url, 'root-token', RESOURCES);
    expect(root.data).toEqual({ deployment: { id: 'team-a/api', resources: [{ apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'Instance', name: 'api-x7k2-vm', namespace: null, ready: false, synced: true, message: 'creating' }] } });
    // A team member without rights on cluster-scoped XRs sees the claim, not what it composed.
    const alice = await gql(c.console.url, 'alice-token', RESOURCES);
    expect(alice.data).toEqual({ deployment: { id: 'team-a/api', resources: [] } });
  });

  it('reads a v2 XR\'s namespaced resources in its namespace, with the user\'s rights', async () => {
    c = await startTestCluster({ kube: { xrd: 'v2', resources: [managedResource('ec2.aws.m.upbound.io/v1beta1', 'Instance', 'instances', true)] } });
    c.kube.put(claim('team-a', 'api', { spec: { crossplane: { resourceRefs: [{ apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'Instance', name: 'api-vm' }] } } }));
    c.kube.put({ apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'Instance', metadata: { name: 'api-vm', namespace: 'team-a' }, status: ready });
    await eventually(() => expect(c?.console.cache.all()).toHaveLength(1));
    const alice = await gql(c.console.url, 'alice-token', RESOURCES);
    expect(alice.data).toEqual({ deployment: { id: 'team-a/api', resources: [{ apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'Instance', name: 'api-vm', namespace: 'team-a', ready: true, synced: true, message: null }] } });
    const carol = await gql(c.console.url, 'carol-token', RESOURCES);
    expect(carol.data).toEqual({ deployment: { id: 'team-a/api', resources: [{ apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'Instance', name: 'api-vm', namespace: 'team-a', ready: null, synced: null, message: 'forbidden' }] } });
  });
});
