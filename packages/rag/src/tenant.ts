/** metaOf reads an object's `metadata`, or an empty one. */
function metaOf(xr: Record<string, unknown>): { name?: unknown; namespace?: unknown; uid?: unknown; labels: Record<string, unknown> } {
  const meta = xr['metadata'];
  if (typeof meta !== 'object' || meta === null) return { labels: {} };
  const labels = 'labels' in meta && typeof meta.labels === 'object' && meta.labels !== null ? (meta.labels as Record<string, unknown>) : {};
  return { ...meta, labels };
}

/**
 * tenantOf is an XR's tenant: its claim's namespace (label
 * `crossplane.io/claim-namespace`), else its own namespace (a namespaced v2
 * XR), else '' (a cluster-scoped XR without a claim).
 */
export function tenantOf(xr: Record<string, unknown>): string {
  const meta = metaOf(xr);
  const claimNamespace = meta.labels['crossplane.io/claim-namespace'];
  if (typeof claimNamespace === 'string' && claimNamespace !== '') return claimNamespace;
  return typeof meta.namespace === 'string' ? meta.namespace : '';
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
  return `name:${tenantOf(xr)}/${typeof meta.name === 'string' ? meta.name : 'unnamed'}`;
}
