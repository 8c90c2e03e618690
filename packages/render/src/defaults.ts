import { deepCopy, field, isJsonObject, objectField, stringField } from './json.js';
import type { JsonObject } from './types.js';
import type { Result } from './yaml-io.js';

/**
 * applyXrdDefaults returns a copy of the XR with the defaults of the XRD's
 * schema for the XR's version applied, as the API server defaults a custom
 * resource: a missing (or null, when not nullable) property with a default
 * gets it, then defaulting goes on inside objects and array items.
 */
export function applyXrdDefaults(xr: JsonObject, xrd: JsonObject): Result<JsonObject> {
  const apiVersion = stringField(xr, 'apiVersion');
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  const versions: unknown = field(xrd, 'spec', 'versions');
  const list: unknown[] = Array.isArray(versions) ? versions : [];
  const match = list.find((v) => isJsonObject(v) && v['name'] === version);
  const schema = objectField(match, 'schema', 'openAPIV3Schema');
  const name = stringField(xr, 'metadata', 'name');
  if (schema === undefined) {
    return {
      ok: false,
      error: `cannot default values for XR ${JSON.stringify(name)}: XRD ${JSON.stringify(stringField(xrd, 'metadata', 'name'))} has no schema for version ${JSON.stringify(version)}`,
    };
  }
  const out = deepCopy(xr);
  applyDefaults(out, schema);
  return { ok: true, value: out };
}

function applyDefaults(value: unknown, schema: JsonObject | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(item, objectField(schema, 'items'));
    return;
  }
  if (!isJsonObject(value)) return;
  const properties = objectField(schema, 'properties') ?? {};
  for (const [key, prop] of Object.entries(properties)) {
    if (!isJsonObject(prop) || !('default' in prop)) continue;
    if (!(key in value) || (value[key] === null && prop['nullable'] !== true)) value[key] = deepCopy(prop['default']);
  }
  const additional = objectField(schema, 'additionalProperties');
  for (const [key, child] of Object.entries(value)) {
    const prop = properties[key];
    applyDefaults(child, isJsonObject(prop) ? prop : additional);
  }
}
