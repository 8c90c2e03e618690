import type { KubeObject } from './kube-store.js';

/** sampleStatus is a status as the pipeline writes it once an app runs. */
export function sampleStatus(strategy: 'vm' | 'kubernetes' | 'serverless', cost: number): Record<string, unknown> {
  return {
    phase: 'Running',
    message: 'all resources ready',
    observedGeneration: 1,
    conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }, { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' }],
    endpoints: [{ name: 'app', url: 'https://app.example', type: 'load-balancer' }],
    cost: { estimatedMonthly: cost, currency: 'USD', breakdown: [{ item: 'compute', monthly: cost }] },
    deployment: {
      strategy, reason: `${strategy} fits the traffic and the budget`, confidence: 0.8, decidedBy: 'rules', inputHash: `hash-${strategy}-${cost}`,
      alternativeStrategies: [{ strategy: strategy === 'vm' ? 'serverless' : 'vm', reason: 'cheaper at low traffic', confidence: 0.4, estimatedMonthlyCost: cost / 2 }],
      citedCases: [], config: { instanceType: 't3.small' },
    },
    history: [{ at: '2026-01-01T00:00:00Z', event: 'Decided', message: `${strategy} by rules` }],
  };
}

/**
 * sampleDeployments are a few Deployments in team-a and team-b, in several
 * phases and strategies, for demos and the dashboard's browser tests.
 */
export function sampleDeployments(): KubeObject[] {
  const at = (m: number): string => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString().replace('.000', '');
  const make = (namespace: string, name: string, m: number, extra: { spec?: Record<string, unknown>; status?: Record<string, unknown>; labels?: Record<string, string> }): KubeObject => ({
    apiVersion: 'scia.io/v1alpha1', kind: 'Deployment',
    metadata: { name, namespace, creationTimestamp: at(m), ...(extra.labels === undefined ? {} : { labels: extra.labels }) },
    spec: { repository: { url: `https://github.com/acme/${name}`, ref: 'main' }, region: 'eu-west-3', prompt: 'a small API', ...extra.spec },
    ...(extra.status === undefined ? {} : { status: extra.status }),
  });
  return [
    make('team-a', 'api', 1, { spec: { budget: { maxMonthlyCost: 200 } }, labels: { 'scia.io/team': 'payments' }, status: sampleStatus('vm', 120) }),
    make('team-a', 'worker', 2, { status: sampleStatus('serverless', 10) }),
    make('team-a', 'fresh', 3, { status: { phase: 'Analyzing' } }),
    make('team-b', 'shop', 4, { spec: { budget: { maxMonthlyCost: 500 } }, status: sampleStatus('kubernetes', 300) }),
    make('team-b', 'blog', 5, { status: { phase: 'Failed', message: 'the instance did not become ready', conditions: [{ type: 'Ready', status: 'False', reason: 'Unavailable' }] } }),
  ];
}
