import type { KubeObject } from '@scia/console-api/testing';

/** Seeded objects for the dashboard's browser tests and bench: claims as the pipeline leaves them, an XR and what it composed. */

const CLAIM = { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment' } as const;

export interface ClaimOptions {
  namespace: string;
  name: string;
  phase?: string;
  strategy?: 'vm' | 'kubernetes' | 'serverless';
  cost?: number;
  budget?: number;
  createdAt?: string;
  endpoint?: string;
  xr?: string;
}

/** claim builds a Deployment claim with the status the pipeline writes for its phase. */
export function claim(o: ClaimOptions): KubeObject {
  const decided = o.strategy !== undefined;
  const phase = o.phase ?? 'Running';
  return {
    ...CLAIM,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      creationTimestamp: o.createdAt ?? '2026-11-20T09:00:00Z',
      labels: { 'scia.io/team': o.namespace },
    },
    spec: {
      repository: { url: `https://git.example.com/${o.namespace}/${o.name}.git`, ref: 'main' },
      prompt: `${o.name}: an API for our mobile app, high availability`,
      region: 'eu-west-3',
      strategy: 'auto',
      policies: ['require-https'],
      ...(o.budget === undefined ? {} : { budget: { maxMonthlyCost: o.budget, alertThreshold: 0.8, enforcementMode: 'soft' } }),
      ...(o.xr === undefined ? {} : { resourceRef: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', name: o.xr } }),
    },
    status: {
      phase,
      ...(o.endpoint === undefined ? {} : { endpoints: [{ name: 'https', url: o.endpoint, type: 'load-balancer' }] }),
      ...(o.cost === undefined
        ? {}
        : { cost: { estimatedMonthly: o.cost, currency: 'USD', breakdown: [{ item: 'compute', monthly: o.cost * 0.7 }, { item: 'load balancer', monthly: o.cost * 0.3 }] } }),
      ...(decided
        ? {
            deployment: {
              strategy: o.strategy,
              reason: `${o.strategy} fits a stateless Flask API with high availability within the budget`,
              confidence: 0.82,
              decidedBy: 'rules',
              inputHash: `sha256:${o.namespace}-${o.name}`,
              alternativeStrategies: [
                { strategy: 'serverless', reason: 'cold starts hurt a mobile API', confidence: 0.41, estimatedMonthlyCost: 38 },
                { strategy: 'vm', reason: 'more to operate for the same availability', confidence: 0.55, estimatedMonthlyCost: 96 },
              ].filter((a) => a.strategy !== o.strategy),
              // Rows 1 and 3 of the example knowledge the embedded store is seeded with: orders-api and flask-hooks.
              citedCases: ['1', '3'],
              // How similar the app was to each cited case when it was decided (what the decide step records).
              cases: [
                { id: '1', usedFor: 'strategy', traits: 0.91, intent: 0.6, outcome: 'success', feedback: 1, causes: [] },
                { id: '3', usedFor: 'sizing', traits: 0.74, intent: 0.5, outcome: 'success', feedback: 1, causes: [] },
              ],
            },
          }
        : {}),
      history: [
        { at: '2026-11-20T09:00:05Z', event: 'Analyzing', message: 'python 3.12, flask 3.0 at 4f2c1e9' },
        { at: '2026-11-20T09:00:09Z', event: 'Decided', message: `${o.strategy ?? 'pending'} by rules` },
        { at: '2026-11-20T09:01:10Z', event: 'Provisioning', message: 'applying 9 resources' },
        ...(phase === 'Running' ? [{ at: '2026-11-20T09:09:40Z', event: 'Running', message: 'all resources ready' }] : []),
      ],
    },
  };
}

/** INSTANCE is the managed resource kind the seeded XR composes. */
export const INSTANCE = { apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'Instance', plural: 'instances' } as const;

/** composite builds the cluster-scoped XR of a claim, naming what it composed. */
export function composite(name: string, composed: readonly string[]): KubeObject {
  return {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'XDeployment',
    metadata: { name },
    spec: { resourceRefs: composed.map((n) => ({ apiVersion: INSTANCE.apiVersion, kind: INSTANCE.kind, name: n })) },
  };
}

/** instance builds a composed managed resource with its Ready and Synced conditions. */
export function instance(name: string, ready: boolean): KubeObject {
  const at = '2026-11-20T09:05:00Z';
  return {
    apiVersion: INSTANCE.apiVersion,
    kind: INSTANCE.kind,
    metadata: { name },
    spec: { forProvider: { region: 'eu-west-3' } },
    status: {
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Available' : 'Creating', lastTransitionTime: at },
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: at },
      ],
    },
  };
}

/** event builds a core/v1 Event about a claim. */
export function event(namespace: string, claimName: string, reason: string, message: string, type = 'Normal'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${claimName}.${reason.toLowerCase()}`, namespace },
    involvedObject: { ...CLAIM, name: claimName, namespace },
    reason,
    message,
    type,
    count: 1,
    lastTimestamp: '2026-11-20T09:02:00Z',
  };
}
