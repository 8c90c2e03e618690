import { sampleStatus, type KubeApiServer, type KubeObject } from '@scia/console-api/testing';
import { claim } from './client.js';

/** runningStatus is a status as the pipeline writes it once an app runs. */
export const runningStatus = sampleStatus;

/**
 * seed writes the Deployments the query tests read: three in team-a (one
 * with a budget and the team label), two in team-b, each created a minute apart.
 */
export function seed(kube: KubeApiServer): KubeObject[] {
  const at = (m: number): string => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString().replace('.000', '');
  const objs = [
    claim('team-a', 'api', { created: at(1), spec: { budget: { maxMonthlyCost: 200 } }, labels: { 'scia.io/team': 'payments' }, status: runningStatus('vm', 120) }),
    claim('team-a', 'worker', { created: at(2), status: runningStatus('serverless', 10) }),
    claim('team-a', 'fresh', { created: at(3), status: { phase: 'Analyzing' } }),
    claim('team-b', 'shop', { created: at(4), spec: { budget: { maxMonthlyCost: 500 } }, status: runningStatus('kubernetes', 300) }),
    claim('team-b', 'blog', { created: at(5), spec: { repository: { url: 'https://github.com/acme/blog', credentialsSecretRef: { name: 'blog-git-secret', namespace: 'team-b' } } }, status: runningStatus('serverless', 5) }),
  ];
  return objs.map((o) => kube.put(o));
}
