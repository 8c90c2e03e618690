import type { DeploymentRecordInput, StoreClock } from '@scia/rag';

/** NOW is the tests' fixed time. */
export const NOW = new Date('2026-06-01T00:00:00Z');
export const fixedClock: StoreClock = { now: () => NOW };

/** record builds a valid deployment record of a Flask API, with `over` applied on top. */
export function record(over: Partial<DeploymentRecordInput> = {}): DeploymentRecordInput {
  return {
    xrUid: 'uid-flask-1',
    decisionHash: 'hash-1',
    name: 'flask-api',
    namespace: 'team-a',
    app: { language: 'python', framework: 'flask', kind: 'server', services: ['postgresql'], prompt: 'REST API for a mobile app' },
    strategy: 'vm',
    config: { instanceType: 't3.small' },
    outcome: 'success',
    costMonthly: 35,
    recordedAt: '2026-05-01T00:00:00Z',
    ...over,
  };
}

/** flaskQuery asks for cases like a Flask API, from tenant `team-a`. */
export function flaskQuery(over: Record<string, unknown> = {}): { app: { language: string; framework: string; prompt: string }; tenant: string; k: number } {
  return { app: { language: 'python', framework: 'flask', prompt: 'REST API for a mobile app' }, tenant: 'team-a', k: 5, ...over };
}
