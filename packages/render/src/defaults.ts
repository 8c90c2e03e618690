import { deepCopy, field, isObject, objectField, stringField } from './json.js';
import type { JsonObject } from './types.js';
import type { Result } from './yaml-io.js';

/**
 * applyXrdDefaults returns a copy of the XR with the defaults of the CRD the
 * XRD generates, for the XR's apiVersion (cmd/crank/render/xrd.go): the
 * version's schema plus the XRD's defaultCompositionUpdatePolicy (under spec,
 * or spec.crossplane unless the XRD is LegacyCluster), applied as the API
 * server defaults a custom resource: a missing (or null, when not nullable)
 * property with a default gets it, then defaulting goes on inside objects and
 * array items.
 */
export function applyXrdDefaults(xr: JsonObject, xrd: JsonObject): Result<JsonObject> {
  const apiVersion = stringField(xr, 'apiVersion');
  const group = stringField(xrd, 'spec', 'group');
  const versions: unknown = field(xrd, 'spec', 'versions');
  const list: unknown[] = Array.isArray(versions) ? versions : [];
  const match = list.find((v) => isObject(v) && `${group}/${stringField(v, 'name')}` === apiVersion);
  const name = stringField(xr, 'metadata', 'name');
  if (match === undefined) {
    return { ok: false, error: `cannot default values for XR ${JSON.stringify(name)}: the specified API version '${apiVersion}' does not exist in the XRD` };
  }
  const schema = deepCopy(objectField(match, 'schema', 'openAPIV3Schema') ?? {});
  addUpdatePolicyDefault(schema, xrd);
  const out = deepCopy(xr);
  applyDefaults(out, schema);
  return { ok: true, value: out };
}

/** addUpdatePolicyDefault adds the XRD's defaultCompositionUpdatePolicy to the schema where the generated CRD has it (internal/xcrd/schemas.go). */
function addUpdatePolicyDefault(schema: JsonObject, xrd: JsonObject): void {
  const policy = field(xrd, 'spec', 'defaultCompositionUpdatePolicy');
  if (typeof policy !== 'string') return;
  const child = (parent: JsonObject, key: string): JsonObject => {
    const props = objectField(parent, 'properties') ?? {};
    parent['properties'] = props;
    const existing = objectField(props, key) ?? { type: 'object' };
    props[key] = existing;
    return existing;
  };
  const spec = child(schema, 'spec');
  const holder = field(xrd, 'spec', 'scope') === 'LegacyCluster' ? spec : child(spec, 'crossplane');
  child(holder, 'compositionUpdatePolicy')['default'] = policy;
}

function applyDefaults(value: unknown, schema: JsonObject | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(item, objectField(schema, 'items'));
    return;
  }
  if (!isObject(value)) return;
  const properties = objectField(schema, 'properties') ?? {};
  for (const [key, prop] of Object.entries(properties)) {
    if (!isObject(prop) || !('default' in prop)) continue;
    if (!(key in value) || (value[key] === null && prop['nullable'] !== true)) value[key] = deepCopy(prop['default']);
  }
  const additional = objectField(schema, 'additionalProperties');
  for (const [key, child] of Object.entries(value)) {
    const prop = properties[key];
    applyDefaults(child, isObject(prop) ? prop : additional);
  }
}
