import { Ready, type Requirements, type Resources, type ResourceSelector, type Schema, type SchemaSelector } from '@crossplane-org/function-sdk-typescript';
import { canonicalJson } from '@scia/api';
import { field, isObject, objectField, stringField, stringMap } from './json.js';
import { fetchSchema } from './schemas.js';
import type { JsonObject } from './types.js';
import type { Result } from './yaml-io.js';

/** MAX_REQUIREMENTS_ITERATIONS bounds the calls per step: the first call plus this many retries. */
export const MAX_REQUIREMENTS_ITERATIONS = 5;

/**
 * fetchResources answers one resource selector from the supplied manifests, as
 * `crossplane render`'s filtering fetcher does: candidates in name order, same
 * apiVersion and kind, then the one named by `matchName`, every one whose
 * labels include `matchLabels`, or, with neither, every one. No match gives
 * an entry with no items.
 */
export function fetchResources(candidates: readonly JsonObject[], sel: ResourceSelector): Resources {
  const sorted = [...candidates].sort((a, b) => compareNames(stringField(a, 'metadata', 'name'), stringField(b, 'metadata', 'name')));
  const items: Resources['items'] = [];
  for (const r of sorted) {
    if (stringField(r, 'apiVersion') !== sel.apiVersion || stringField(r, 'kind') !== sel.kind) continue;
    if (sel.matchName !== undefined && sel.matchName === stringField(r, 'metadata', 'name')) {
      return { items: [asResource(r)] };
    }
    if (sel.matchName !== undefined) continue;
    if (sel.matchLabels === undefined || labelsMatch(stringMap(r, 'metadata', 'labels'), sel.matchLabels.labels)) items.push(asResource(r));
  }
  return { items };
}

function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function asResource(r: JsonObject): Resources['items'][number] {
  return { resource: r, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED };
}

function labelsMatch(have: Record<string, string>, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => have[k] === v);
}

/** fetchAll answers every selector of a requirements map. */
export function fetchAll(candidates: readonly JsonObject[], selectors: Record<string, ResourceSelector> | undefined): Record<string, Resources> {
  const out: Record<string, Resources> = {};
  for (const [name, sel] of Object.entries(selectors ?? {})) out[name] = fetchResources(candidates, sel);
  return out;
}

/** fetchSchemas answers every schema requirement from the `--required-schemas` documents (an empty Schema when none matches). */
export function fetchSchemas(docs: readonly JsonObject[], selectors: Record<string, SchemaSelector> | undefined): Result<Record<string, Schema>> {
  const out: Record<string, Schema> = {};
  for (const [name, sel] of Object.entries(selectors ?? {})) {
    const schema = fetchSchema(docs, sel);
    if (!schema.ok) return { ok: false, error: `fetching schema for ${name}: ${schema.error}` };
    out[name] = schema.value;
  }
  return { ok: true, value: out };
}

/** sameRequirements compares two responses' requirements as protobuf equality does: absent equals only absent. */
export function sameRequirements(a: Requirements | undefined, b: Requirements | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(normalize(a)) === canonicalJson(normalize(b));
}

function normalize(r: Requirements): unknown {
  return { extraResources: r.extraResources ?? {}, resources: r.resources ?? {}, schemas: r.schemas ?? {} };
}

/**
 * bootstrapRequirements answers a pipeline step's `requirements` before its
 * first call: `requiredResources` from the required resources only (not the
 * deprecated extra resources, as crossplane render does), `requiredSchemas`
 * from the schema documents.
 */
export function bootstrapRequirements(
  step: JsonObject,
  required: readonly JsonObject[],
  docs: readonly JsonObject[],
): Result<{ resources: Record<string, Resources>; schemas: Record<string, Schema> }> {
  const reqs = objectField(step, 'requirements');
  const resources: Record<string, Resources> = {};
  for (const sel of arrayOfObjects(field(reqs, 'requiredResources'))) {
    resources[stringField(sel, 'requirementName')] = fetchResources(required, toSelector(sel));
  }
  const schemas: Record<string, Schema> = {};
  for (const sel of arrayOfObjects(field(reqs, 'requiredSchemas'))) {
    const name = stringField(sel, 'requirementName');
    const schema = fetchSchema(docs, { apiVersion: stringField(sel, 'apiVersion'), kind: stringField(sel, 'kind') });
    if (!schema.ok) return { ok: false, error: `cannot fetch bootstrap required schema for requirement ${JSON.stringify(name)}: ${schema.error}` };
    schemas[name] = schema.value;
  }
  return { ok: true, value: { resources, schemas } };
}

/** toSelector reads a pipeline step's required resource selector: a name, else non-empty matchLabels, else every resource of its kind. */
function toSelector(sel: JsonObject): ResourceSelector {
  const name = field(sel, 'name');
  const namespace = field(sel, 'namespace');
  const labels = stringMap(sel, 'matchLabels');
  const match = typeof name === 'string' ? { matchName: name } : Object.keys(labels).length > 0 ? { matchLabels: { labels } } : {};
  return {
    apiVersion: stringField(sel, 'apiVersion'),
    kind: stringField(sel, 'kind'),
    ...match,
    ...(typeof namespace === 'string' ? { namespace } : {}),
  };
}

function arrayOfObjects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
