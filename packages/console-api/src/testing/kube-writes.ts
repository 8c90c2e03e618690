import type { ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { notFound, sendJson, sendStatus, type Target } from './kube-http.js';
import { applyPatch, fieldsV1, mergePatch, schemaErrors } from './kube-patch.js';
import type { Ctx } from './kube-server.js';
import { resourceKey, type KubeObject, type ResourceDef } from './kube-store.js';

/** create answers POST: a new object, 409 when it exists. */
export function create(ctx: Ctx, res: ServerResponse, t: Target, body: unknown): void {
  const obj = body as KubeObject | undefined;
  const name = obj?.metadata?.name;
  if (obj === undefined || name === undefined) return sendStatus(res, 400, 'BadRequest', 'the object has no metadata.name');
  const res_ = resourceKey(t.def);
  if (ctx.store.get(res_, t.namespace, name) !== undefined) return sendStatus(res, 409, 'AlreadyExists', `${res_} "${name}" already exists`);
  const fresh = { ...obj, metadata: { ...obj.metadata, ...(t.namespace === undefined ? {} : { namespace: t.namespace }) } };
  if (invalid(res, t, fresh)) return;
  sendJson(res, 201, ctx.store.put(res_, t.def.status ? withoutStatus(fresh) : fresh));
}

/**
 * patch answers PATCH: server-side apply (application/apply-patch+yaml, with a
 * fieldManager; creates the object when absent) or a JSON merge patch. Writes to
 * the main resource keep the live status; writes to /status change only it.
 */
export function patch(ctx: Ctx, res: ServerResponse, t: Target, type: string, body: string, q: URLSearchParams): void {
  const res_ = resourceKey(t.def);
  const name = t.name ?? '';
  const live = ctx.store.get(res_, t.namespace, name);
  const isApply = type.startsWith('application/apply-patch+yaml');
  if (!isApply && !type.startsWith('application/merge-patch+json')) return sendStatus(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${type}`);
  const doc = parseBody(body, isApply);
  if (typeof doc !== 'object' || doc === null) return sendStatus(res, 400, 'BadRequest', 'cannot parse the patch');
  if (live === undefined && !isApply) return notFound(res, t);
  const onStatus = t.subresource === 'status';
  let next: KubeObject;
  if (isApply) {
    const manager = q.get('fieldManager');
    if (manager === null || manager === '') return sendStatus(res, 400, 'BadRequest', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const key = `${res_}/${t.namespace ?? ''}/${name}/${manager}/${onStatus ? 'status' : ''}`;
    const merged = applyPatch(live ?? {}, doc, ctx.applied.get(key)) as KubeObject;
    ctx.applied.set(key, doc);
    const others = (live?.metadata.managedFields ?? []).filter((f) => (f as { manager?: string }).manager !== manager);
    next = { ...merged, metadata: { ...merged.metadata, name, ...(t.namespace === undefined ? {} : { namespace: t.namespace }), managedFields: [...others, { manager, operation: 'Apply', apiVersion: apiVersionOf(t.def), fieldsType: 'FieldsV1', fieldsV1: fieldsV1(doc) }] } };
  } else {
    next = mergePatch(live, doc) as KubeObject;
  }
  if (t.def.status) next = onStatus ? { ...(live ?? next), status: next['status'] } : { ...withoutStatus(next), ...(live?.['status'] === undefined ? {} : { status: live['status'] }) };
  if (invalid(res, t, next)) return;
  const specChanged = JSON.stringify(live?.['spec']) !== JSON.stringify(next['spec']);
  sendJson(res, live === undefined ? 201 : 200, ctx.store.put(res_, next, { specChanged }));
}

function invalid(res: ServerResponse, t: Target, obj: KubeObject): boolean {
  const { metadata: _m, apiVersion: _a, kind: _k, ...content } = obj;
  const schema = t.def.schema as { properties?: Record<string, unknown> } | undefined;
  const errs = schema === undefined ? [] : schemaErrors({ ...schema, properties: { ...schema.properties, metadata: undefined } }, content);
  if (errs.length === 0) return false;
  const name = obj.metadata.name ?? '';
  const message = `${t.def.kind} "${name}" is invalid: ${errs.map((e) => `${e.field.replace(/^\./, '')}: ${e.message}`).join(', ')}`;
  sendJson(res, 422, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422, details: { name, group: t.def.group, kind: t.def.kind, causes: errs.map((e) => ({ reason: 'FieldValueInvalid', message: e.message, field: e.field.replace(/^\./, '') })) } });
  return true;
}

function withoutStatus(obj: KubeObject): KubeObject {
  const { status: _s, ...rest } = obj;
  return rest;
}

export function parseBody(body: string, yaml: boolean): unknown {
  try {
    return yaml ? parseYaml(body) : JSON.parse(body);
  } catch {
    return undefined;
  }
}


function apiVersionOf(def: ResourceDef): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}
