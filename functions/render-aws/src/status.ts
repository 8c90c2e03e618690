import type { Endpoint, Phase } from '@scia/api';
import type { Composed, Plan } from './model.js';
import { isReady, type Condition, type ObservedFacts } from './observed.js';

/** DeploymentState is what the renderer reports in the XR's status. */
export interface DeploymentState {
  phase: Phase;
  message: string;
  endpoints: Endpoint[];
}

/** Transient reconcile errors: references to resources that do not exist or have no ID yet. */
const TRANSIENT = /cannot resolve references|referenced field was empty|cannot get referenced resource/i;

/**
 * composedReady tells whether a desired resource is ready: its observed Ready
 * condition is True. A provider-kubernetes ProviderConfig has no conditions,
 * so it is ready once it exists.
 */
export function composedReady(r: Composed, observed: ObservedFacts): boolean {
  const seen = observed.resources[r.key];
  if (r.body['kind'] === 'ProviderConfig') return seen !== undefined;
  return isReady(seen);
}

/**
 * failure finds a resource the cloud refused: an upjet LastAsyncOperation
 * condition that is False (AWS rejected a create or update), or Synced=False
 * with reason ReconcileError for anything but a reference not resolved yet
 * (which is normal while the resources it points at are created).
 */
export function failure(key: string, conditions: Condition[]): string | undefined {
  const async = conditions.find((c) => c.type === 'LastAsyncOperation' && c.status === 'False');
  if (async !== undefined) return `${key}: ${async.message ?? async.reason ?? 'last operation failed'}`;
  const synced = conditions.find((c) => c.type === 'Synced' && c.status === 'False' && c.reason === 'ReconcileError');
  if (synced !== undefined && !TRANSIENT.test(synced.message ?? '')) return `${key}: ${synced.message ?? 'reconcile error'}`;
  return undefined;
}

/**
 * deploymentState derives the XR's phase, message and endpoints: Failed when
 * a desired resource failed (see failure), Running when every desired
 * resource is ready and none is held back, else Provisioning with the names
 * of what is not ready yet, sorted.
 */
export function deploymentState(plan: Plan, desired: Composed[], observed: ObservedFacts, waiting: string[]): DeploymentState {
  const keys = new Set(desired.map((r) => r.key));
  const endpoints = endpointsOf(plan, keys, observed);
  const failures = desired
    .map((r) => failure(r.key, observed.resources[r.key]?.conditions ?? []))
    .filter((f): f is string => f !== undefined)
    .sort();
  if (failures.length > 0) return { phase: 'Failed', message: `failed: ${failures.join('; ')}`, endpoints };
  const unready = [...desired.filter((r) => !composedReady(r, observed)).map((r) => r.key), ...waiting].sort();
  if (unready.length === 0) return { phase: 'Running', message: `all ${desired.length} resources are ready`, endpoints };
  return { phase: 'Provisioning', message: `waiting for ${unready.length} of ${desired.length + waiting.length}: ${unready.join(', ')}`, endpoints };
}

function endpointsOf(plan: Plan, keys: Set<string>, observed: ObservedFacts): Endpoint[] {
  const out: Endpoint[] = [];
  if (keys.has('lb') && observed.lbDnsName !== undefined) {
    out.push({ name: 'load-balancer', url: `https://${observed.lbDnsName}`, type: 'load-balancer' });
  }
  if (keys.has('workload-service') && observed.serviceHostname !== undefined) {
    out.push({ name: 'service', url: `${plan.https ? 'https' : 'http'}://${observed.serviceHostname}`, type: 'load-balancer' });
  }
  if (keys.has('function-url') && observed.functionUrl !== undefined) {
    out.push({ name: 'function-url', url: observed.functionUrl, type: 'function-url' });
  }
  // The certificate names spec.domain, so that is the address clients use; the
  // load balancer's own name follows, for the DNS record that points at it.
  if (plan.https && plan.domain !== undefined && out.some((e) => e.type === 'load-balancer')) {
    out.unshift({ name: 'domain', url: `https://${plan.domain}`, type: 'load-balancer' });
  }
  return out;
}
