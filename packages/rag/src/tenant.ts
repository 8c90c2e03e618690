import { fail, ok, type Result } from '@scia/api';

/**
 * metaOf reads the name, namespace, uid and labels of an object's `metadata`
 * (an empty one when it has none), and nothing else of it: a lazily decoded
 * XR does not decode its annotations or managed fields for them.
 */
function metaOf(xr: Record<string, unknown>): { name?: unknown; namespace?: unknown; uid?: unknown; labels: Record<string, unknown> } {
  const meta = xr['metadata'];
  if (typeof meta !== 'object' || meta === null) return { labels: {} };
  const m = meta as Record<string, unknown>;
  const labels = typeof m['labels'] === 'object' && m['labels'] !== null ? (m['labels'] as Record<string, unknown>) : {};
  return { name: m['name'], namespace: m['namespace'], uid: m['uid'], labels };
}

/** CLAIM_NAMESPACE_LABEL is the label Crossplane sets on a claim's XR: the claim's namespace. */
export const CLAIM_NAMESPACE_LABEL = 'crossplane.io/claim-namespace';

/**
 * tenantOf is an XR's tenant, taken from what the team cannot set: a
 * namespaced (v2) XR's own namespace, where a `crossplane.io/claim-namespace`
 * label naming another namespace is refused (a team could otherwise read and
 * write another team's memory); a cluster-scoped (v1) XR's claim namespace,
 * which only Crossplane writes; else '' (a cluster-scoped XR without a claim).
 */
export function tenantOf(xr: Record<string, unknown>): Result<string> {
  const meta = metaOf(xr);
  const claimNamespace = meta.labels[CLAIM_NAMESPACE_LABEL];
  if (typeof meta.namespace === 'string' && meta.namespace !== '') {
    if (claimNamespace !== undefined && claimNamespace !== meta.namespace) {
      return fail(`metadata.labels[${CLAIM_NAMESPACE_LABEL}]: names ${JSON.stringify(claimNamespace)}, but this XR lives in namespace ${JSON.stringify(meta.namespace)}: a namespaced XR's tenant is its own namespace`);
    }
    return ok(meta.namespace);
  }
  return ok(typeof claimNamespace === 'string' ? claimNamespace : '');
}

/** deploymentNameOf is the name a team knows a deployment by: its claim's name, else the XR's. */
export function deploymentNameOf(xr: Record<string, unknown>): string {
  const meta = metaOf(xr);
  const claim = meta.labels['crossplane.io/claim-name'];
  if (typeof claim === 'string' && claim !== '') return claim;
  return typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'unnamed';
}

/** xrKeyOf identifies an XR across reconciles: its uid, else (in `scia render`, which has none) its name. */
export function xrKeyOf(xr: Record<string, unknown>): string {
  const meta = metaOf(xr);
  if (typeof meta.uid === 'string' && meta.uid !== '') return meta.uid;
  const tenant = tenantOf(xr);
  return `name:${tenant.ok ? tenant.value : ''}/${typeof meta.name === 'string' ? meta.name : 'unnamed'}`;
}
