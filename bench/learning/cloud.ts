import type { JsonObject } from '@scia/render';
import type { ProviderStatus } from './cluster.js';
import type { Decided, Verdict } from './world.js';

const FUNCTION_URL = 'https://abcdefghij.lambda-url.eu-west-3.on.aws/';

function condition(type: string, status: 'True' | 'False', reason: string, message?: string): JsonObject {
  return { type, status, reason, ...(message === undefined ? {} : { message }) };
}

const up = (atProvider: JsonObject = {}): ProviderStatus => ({
  conditions: [condition('Ready', 'True', 'Available'), condition('Synced', 'True', 'ReconcileSuccess')],
  atProvider,
});

/**
 * The provider statuses a crashing workload leaves, as upjet and
 * provider-kubernetes report them: an Auto Scaling group whose instances never
 * pass their health checks fails its capacity wait; a Kubernetes Deployment
 * whose pods crash never becomes available. Neither says why the app crashed.
 */
function crashed(name: string, d: Decided): ProviderStatus | undefined {
  if (d.strategy === 'vm' && name === 'asg') {
    return {
      conditions: [
        condition('Ready', 'False', 'Creating'),
        condition('Synced', 'True', 'ReconcileSuccess'),
        condition('LastAsyncOperation', 'False', 'AsyncCreateFailure',
          "async create failed: waiting for Auto Scaling Group capacity satisfied: timeout while waiting for state to become 'ok' (last state: 'want at least 1 healthy instance(s) in Auto Scaling Group, have 0', timeout: 10m0s)"),
      ],
      atProvider: {},
    };
  }
  if (d.strategy === 'kubernetes' && name === 'workload-deployment') {
    return {
      conditions: [condition('Ready', 'False', 'Unavailable'), condition('Synced', 'True', 'ReconcileSuccess')],
      atProvider: {
        manifest: {
          status: {
            replicas: Number(d.config['replicas'] ?? 2),
            unavailableReplicas: Number(d.config['replicas'] ?? 2),
            conditions: [
              { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
              { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet has timed out progressing.' },
            ],
          },
        },
      },
    };
  }
  return undefined;
}

/** reportFor is what the cloud reports for each composed resource once a decision is applied. */
export function reportFor(verdict: Verdict, d: Decided): (name: string) => ProviderStatus {
  return (name) => {
    if (!verdict.ok && verdict.inCluster) {
      const failing = crashed(name, d);
      if (failing !== undefined) return failing;
    }
    return up(name === 'function-url' ? { functionUrl: FUNCTION_URL } : {});
  };
}
