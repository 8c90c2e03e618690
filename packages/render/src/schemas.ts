import { readFile, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Schema, SchemaSelector } from '@crossplane-org/function-sdk-typescript';
import { deepCopy, field, isObject, objectField } from './json.js';
import type { JsonObject } from './types.js';
import type { Result } from './yaml-io.js';

const REF_PREFIX = '#/components/schemas/';

/**
 * loadRequiredSchemas reads every `.json` file under a directory, recursively
 * and in path order, each an OpenAPI v3 document as `kubectl get --raw
 * /openapi/v3/<group-version>` prints it (`--required-schemas`).
 */
export async function loadRequiredSchemas(dir: string): Promise<Result<JsonObject[]>> {
  let files: string[];
  try {
    files = await jsonFiles(dir);
  } catch (err) {
    return { ok: false, error: `cannot walk directory: ${(err as Error).message}` };
  }
  if (files.length === 0) return { ok: false, error: `no JSON files found in ${JSON.stringify(dir)}` };
  const docs: JsonObject[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      return { ok: false, error: `cannot read file ${JSON.stringify(file)}: ${(err as Error).message}` };
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return { ok: false, error: `cannot parse OpenAPI JSON from ${JSON.stringify(file)}: ${(err as Error).message}` };
    }
    docs.push(isObject(doc) ? doc : {});
  }
  return { ok: true, value: docs };
}

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await jsonFiles(path)));
    else if (extname(e.name) === '.json') out.push(path);
  }
  return out;
}

/**
 * fetchSchema answers a schema requirement from the loaded documents, as
 * crossplane render's filtering schema fetcher does: the component schema
 * whose single `x-kubernetes-group-version-kind` has the selector's group and
 * version (case-insensitively) and kind, with every `$ref` (bare or wrapped
 * in allOf) replaced by the schema it names; a cycle becomes `{type: object}`.
 * No match gives an empty Schema.
 */
export function fetchSchema(docs: readonly JsonObject[], sel: SchemaSelector): Result<Schema> {
  const slash = sel.apiVersion.indexOf('/');
  if (sel.apiVersion.indexOf('/', slash + 1) !== -1) {
    return { ok: false, error: `cannot parse apiVersion ${JSON.stringify(sel.apiVersion)}: unexpected GroupVersion string: ${sel.apiVersion}` };
  }
  const group = slash === -1 ? '' : sel.apiVersion.slice(0, slash);
  const version = sel.apiVersion.slice(slash + 1);
  for (const doc of docs) {
    const schemas = objectField(doc, 'components', 'schemas') ?? {};
    for (const [name, schema] of Object.entries(schemas)) {
      const gvks = field(schema, 'x-kubernetes-group-version-kind');
      if (!Array.isArray(gvks) || gvks.length !== 1) continue;
      const gvk: unknown = gvks[0];
      if (!isObject(gvk)) continue;
      if (!sameFold(gvk['group'], group) || !sameFold(gvk['version'], version) || gvk['kind'] !== sel.kind) continue;
      const resolve = (ref: string): JsonObject | undefined => (ref.startsWith(REF_PREFIX) ? objectField(schemas, ref.slice(REF_PREFIX.length)) : undefined);
      const flat = populateRefs(resolve, new Set([REF_PREFIX + name]), isObject(schema) ? schema : {});
      return flat.ok ? { ok: true, value: { openapiV3: flat.value } } : { ok: false, error: `cannot flatten schema references: ${flat.error}` };
    }
  }
  return { ok: true, value: {} };
}

function sameFold(a: unknown, b: string): boolean {
  return (typeof a === 'string' ? a : '').toLowerCase() === b.toLowerCase();
}

/** populateRefs replaces a schema that is a reference by the schema it names, then does the same in properties, additionalProperties and items. */
function populateRefs(resolve: (ref: string) => JsonObject | undefined, visited: Set<string>, schema: JsonObject): Result<JsonObject> {
  let result = deepCopy(schema);
  const ref = refOf(schema);
  if (ref !== undefined) {
    if (visited.has(ref)) return { ok: true, value: { type: 'object' } };
    const resolved = resolve(ref);
    if (resolved === undefined) return { ok: false, error: `internal error: cannot resolve Ref ${JSON.stringify(ref)}: schema not found` };
    result = deepCopy(resolved);
  }
  const inner = ref === undefined ? visited : new Set([...visited, ref]);
  const properties = objectField(result, 'properties');
  for (const [key, prop] of Object.entries(properties ?? {})) {
    if (!isObject(prop) || properties === undefined) continue;
    const populated = populateRefs(resolve, inner, prop);
    if (!populated.ok) return populated;
    properties[key] = populated.value;
  }
  for (const key of ['additionalProperties', 'items']) {
    const child = result[key];
    if (!isObject(child)) continue;
    const populated = populateRefs(resolve, inner, child);
    if (!populated.ok) return populated;
    result[key] = populated.value;
  }
  return { ok: true, value: result };
}

/** refOf is a schema's `$ref`, or that of an allOf member (how Kubernetes wraps a reference to keep its description). */
function refOf(schema: JsonObject): string | undefined {
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref !== '') return ref;
  const allOf = schema['allOf'];
  for (const member of Array.isArray(allOf) ? allOf : []) {
    const inner = isObject(member) ? refOf(member) : undefined;
    if (inner !== undefined) return inner;
  }
  return undefined;
}
