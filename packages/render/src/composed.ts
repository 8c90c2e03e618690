import { Ready, type State } from '@crossplane-org/function-sdk-typescript';
import { addToMap, deepCopy, field, isObject, metadataOf, setMetadataString, stringField, stringMap } from './json.js';
import {
  ANNOTATION_RESOURCE_NAME,
  LABEL_CLAIM_NAME,
  LABEL_CLAIM_NAMESPACE,
  LABEL_COMPOSITE,
  type JsonObject,
} from './types.js';
import type { Result } from './yaml-io.js';

/** ComposedOutput holds the rendered composed resources, sorted by resource name, and the names not READY_TRUE. */
export interface ComposedOutput {
  resources: JsonObject[];
  unready: string[];
}

/**
 * renderComposed turns the desired composed resources into what Crossplane
 * would create: an observed resource's name, generateName and namespace are
 * kept, then the metadata derived from the XR is set.
 */
export function renderComposed(desired: State | undefined, xr: JsonObject, observed: readonly JsonObject[]): Result<ComposedOutput> {
  const byName = new Map<string, JsonObject>();
  for (const o of observed) byName.set(stringMap(o, 'metadata', 'annotations')[ANNOTATION_RESOURCE_NAME] ?? '', o);
  const rendered: { name: string; resource: JsonObject }[] = [];
  const unready: string[] = [];
  for (const [name, dr] of Object.entries(desired?.resources ?? {})) {
    if (dr.ready !== Ready.READY_TRUE) unready.push(name);
    const cd = deepCopy(dr.resource ?? {});
    const existing = byName.get(name);
    if (existing !== undefined) {
      for (const key of ['namespace', 'name', 'generateName']) setMetadataString(cd, key, stringField(existing, 'metadata', key));
    }
    const set = setComposedMetadata(cd, xr, name);
    if (set !== undefined) return { ok: false, error: `cannot render composed resource ${JSON.stringify(name)} metadata: ${set}` };
    rendered.push({ name, resource: cd });
  }
  rendered.sort((a, b) => (a.name === b.name ? 0 : a.name < b.name ? -1 : 1));
  return { ok: true, value: { resources: rendered.map((r) => r.resource), unready } };
}

/**
 * setComposedMetadata sets what Crossplane derives from the XR: generateName
 * `<prefix>-` when the resource has no name (prefix = the XR's
 * `crossplane.io/composite` label, or its name), the XR's namespace, the
 * composition resource name annotation, the composite label, the claim labels
 * when the XR carries both and a controller owner reference. It returns the
 * reason it cannot, or undefined. `spec.claimRef` gives no labels: crossplane
 * render reads the XR with the v2 schema, which has no claim reference.
 */
export function setComposedMetadata(cd: JsonObject, xr: JsonObject, name: string): string | undefined {
  const xrLabels = stringMap(xr, 'metadata', 'labels');
  const label = xrLabels[LABEL_COMPOSITE] ?? '';
  const prefix = label !== '' ? label : stringField(xr, 'metadata', 'name');
  if (stringField(cd, 'metadata', 'name') === '' && stringField(cd, 'metadata', 'generateName') === '') {
    setMetadataString(cd, 'generateName', `${prefix}-`);
  }
  const namespace = stringField(xr, 'metadata', 'namespace');
  if (namespace !== '') setMetadataString(cd, 'namespace', namespace);
  addToMap(cd, 'annotations', { [ANNOTATION_RESOURCE_NAME]: name });
  addToMap(cd, 'labels', { [LABEL_COMPOSITE]: prefix });
  const claimName = xrLabels[LABEL_CLAIM_NAME] ?? '';
  const claimNamespace = xrLabels[LABEL_CLAIM_NAMESPACE] ?? '';
  if (claimName !== '' && claimNamespace !== '') {
    addToMap(cd, 'labels', { [LABEL_CLAIM_NAMESPACE]: claimNamespace, [LABEL_CLAIM_NAME]: claimName });
  }
  return addControllerReference(cd, xr);
}

function addControllerReference(cd: JsonObject, xr: JsonObject): string | undefined {
  const ref: JsonObject = {
    apiVersion: stringField(xr, 'apiVersion'),
    kind: stringField(xr, 'kind'),
    name: stringField(xr, 'metadata', 'name'),
    uid: stringField(xr, 'metadata', 'uid'),
    controller: true,
    blockOwnerDeletion: true,
  };
  const existing = field(cd, 'metadata', 'ownerReferences');
  const refs = Array.isArray(existing) ? existing.filter(isObject) : [];
  const controller = refs.find((r) => r['controller'] === true);
  if (controller !== undefined && stringField(controller, 'uid') !== ref['uid']) {
    return (
      `cannot set composite resource ${JSON.stringify(ref['name'])} as controller ref of composed resource: ` +
      `${stringField(cd, 'metadata', 'name')} is already controlled by ${stringField(controller, 'kind')} ` +
      `${stringField(controller, 'name')} (UID ${stringField(controller, 'uid')})`
    );
  }
  const same = refs.findIndex((r) => stringField(r, 'uid') === ref['uid']);
  if (same === -1) refs.push(ref);
  else refs[same] = ref;
  metadataOf(cd)['ownerReferences'] = refs;
  return undefined;
}
