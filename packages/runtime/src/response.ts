import type { Ready as SdkReady, RunFunctionRequest, RunFunctionResponse, Severity as SdkSeverity } from '@crossplane-org/function-sdk-typescript';

import type { z } from 'zod';
import { errorText, isObject, parseAt, redact, type JsonObject } from '@scia/api';
import { isFrozenJson } from './frozen-json.js';
import { withField } from './lazy-fields.js';
import { mergedField } from './wire-lazy-object.js';
import { withMergedField } from './wire-lazy-resource.js';
import { resourcesUnread } from './wire-state.js';
import { Ready, Severity, Status, Target, responseTo } from './protocol.js';

export type { JsonObject };

export { clockFromEnv, systemClock, type Clock } from '@scia/api';

/**
 * respond starts a response from a request with an explicit TTL: the tag is
 * echoed and desired state is the request's (shared, as the SDK's `to` leaves it), so
 * resources must be replaced by name, never deep-merged.
 */
export function respond(req: RunFunctionRequest, ttlSeconds: number): RunFunctionResponse {
  const rsp = responseTo(req, { seconds: Math.max(0, Math.round(ttlSeconds)), nanos: 0 });
  rsp.desired ??= { composite: undefined, resources: {} };
  // A map decoded lazily and unread stays so (it is never absent).
  if (!resourcesUnread(rsp.desired)) rsp.desired.resources ??= {};
  return rsp;
}

/** observedComposite returns the observed XR as JSON, or undefined when the request has none. */
export function observedComposite(req: RunFunctionRequest): JsonObject | undefined {
  return req.observed?.composite?.resource;
}

/** observedResources returns each observed composed resource by its composition resource name. */
export function observedResources(req: RunFunctionRequest): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const [name, r] of Object.entries(req.observed?.resources ?? {})) {
    if (r.resource !== undefined) out[name] = r.resource;
  }
  return out;
}

/**
 * setContext sets one context key, keeping every other key an earlier step
 * set. The response gets a new context object (the request's is left as it
 * was), whose keys not read yet stay undecoded.
 */
export function setContext(rsp: RunFunctionResponse, key: string, value: unknown): void {
  rsp.context = withField(rsp.context ?? {}, key, toJsonSafe(value));
}

/**
 * setDesiredResource replaces the desired composed resource `name` whole with
 * a copy of `body`, or with `body` itself when it came from freezeJson.
 */
export function setDesiredResource(rsp: RunFunctionResponse, name: string, body: JsonObject, ready: SdkReady = Ready.READY_UNSPECIFIED): void {
  rsp.desired ??= { composite: undefined, resources: {} };
  rsp.desired.resources[name] = { resource: isFrozenJson(body) ? body : (toJsonSafe(body) as JsonObject), connectionDetails: {}, ready };
}

/**
 * mergeDesiredStatus sets top-level fields of the desired XR's status, keeping
 * the fields earlier steps set. Each field given is replaced whole. The XR
 * and its status are new objects (as a spread makes them) whose other fields,
 * when decoded lazily and not read yet, stay undecoded and go back as they came.
 * Change the status through desiredStatus after a merge: a status object read
 * before it is no longer the response's (nor, for a field unread then, are its values).
 */
export function mergeDesiredStatus(rsp: RunFunctionResponse, fields: JsonObject): void {
  rsp.desired ??= { composite: undefined, resources: {} };
  const composite = rsp.desired.composite ?? { resource: {}, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED };
  const given = toJsonSafe(fields) as JsonObject;
  // A status that is not an object (a request Crossplane would not send) has no fields to keep: the merge replaces it.
  const merged = withMergedField(composite, 'status', given);
  if (merged !== undefined) composite.resource = merged;
  else {
    const resource = composite.resource ?? {};
    composite.resource = withField(resource, 'status', mergedField(resource, 'status', given));
  }
  rsp.desired.composite = composite;
}

/** desiredStatus reads the desired XR's status as set so far in the pipeline. */
export function desiredStatus(rsp: RunFunctionResponse): JsonObject {
  return (rsp.desired?.composite?.resource?.['status'] as JsonObject | undefined) ?? {};
}

/** ResultOptions: the reason (PascalCase; Crossplane defaults it), and whether the claim sees the result too. */
export interface ResultOptions {
  reason?: string;
  /** claim: true targets the composite and its claim; results target the composite only by default. */
  claim?: boolean;
}

function addResult(rsp: RunFunctionResponse, severity: SdkSeverity, message: string, opts: ResultOptions): RunFunctionResponse {
  rsp.results.push({
    severity,
    message,
    ...(opts.reason === undefined ? {} : { reason: opts.reason }),
    target: opts.claim === true ? Target.TARGET_COMPOSITE_AND_CLAIM : Target.TARGET_COMPOSITE,
  });
  return rsp;
}

/** messageOf is an error's message (with its cause's, when it adds one), or the text given. */
function messageOf(err: unknown): string {
  // Results become Kubernetes events anyone with `get events` reads: no password, token or key reaches one.
  return typeof err === 'string' ? redact(err) : errorText(err);
}

/**
 * fatal adds a Fatal result: Crossplane stops the pipeline and applies
 * nothing. Only for what no retry can mend: an invalid claim, a hard budget
 * that nothing fits. It returns the response, for `return fatal(rsp, ...)`.
 */
export function fatal(rsp: RunFunctionResponse, err: unknown, opts: ResultOptions = {}): RunFunctionResponse {
  return addResult(rsp, Severity.SEVERITY_FATAL, messageOf(err), opts);
}

/** warning adds a Warning result: something went wrong and the step went on (a degraded dependency). */
export function warning(rsp: RunFunctionResponse, err: unknown, opts: ResultOptions = {}): RunFunctionResponse {
  return addResult(rsp, Severity.SEVERITY_WARNING, messageOf(err), opts);
}

/** normal adds a Normal result: news worth an event (a decision taken, work pending). */
export function normal(rsp: RunFunctionResponse, message: string, opts: ResultOptions = {}): RunFunctionResponse {
  return addResult(rsp, Severity.SEVERITY_NORMAL, message, opts);
}

/** setTtl sets how long Crossplane may cache this response before calling the step again. */
export function setTtl(rsp: RunFunctionResponse, seconds: number): RunFunctionResponse {
  rsp.meta = { tag: rsp.meta?.tag ?? '', ttl: { seconds: Math.max(0, Math.round(seconds)), nanos: 0 } };
  return rsp;
}

/**
 * readContext reads the context value an earlier step set at `key` and
 * validates it with `schema`. Absent: undefined. Present but invalid: a
 * Warning (`cannot read context[key]: field: problem; <then>`, reason
 * ContextInvalid) and undefined, so the step goes on without it.
 */
export function readContext<S extends z.ZodType>(req: RunFunctionRequest, rsp: RunFunctionResponse, key: string, schema: S, then: string): z.output<S> | undefined {
  const value: unknown = req.context?.[key];
  if (value === undefined || value === null) return undefined;
  const parsed = parseAt(schema, value, `context[${key}]`);
  if (parsed.ok) return parsed.value;
  warning(rsp, `cannot read ${parsed.error}; ${then}`, { reason: 'ContextInvalid', claim: true });
  return undefined;
}

/** setCondition sets (replaces by type) a condition on the XR and its claim. */
export function setCondition(rsp: RunFunctionResponse, type: string, status: boolean, reason: string, message?: string): void {
  rsp.conditions = rsp.conditions.filter((c) => c.type !== type);
  rsp.conditions.push({
    type,
    status: status ? Status.STATUS_CONDITION_TRUE : Status.STATUS_CONDITION_FALSE,
    reason,
    ...(message === undefined ? {} : { message: redact(message) }),
    target: Target.TARGET_COMPOSITE_AND_CLAIM,
  });
}

/** isFatal tells whether a response carries a Fatal result. */
export function isFatal(rsp: RunFunctionResponse): boolean {
  return rsp.results.some((r) => r.severity === Severity.SEVERITY_FATAL);
}

/**
 * toJsonSafe returns a copy of `value` that survives google.protobuf.Struct:
 * undefined fields dropped, Dates as ISO strings, BigInt and non-finite numbers
 * rejected with the path that held them. An object from freezeJson, at any
 * depth, is not copied: it is that already, and cannot change.
 */
export function toJsonSafe(value: unknown, path = '$'): unknown {
  // Deep-frozen and JSON-safe already: passed on as it is (see freezeJson).
  if (isFrozenJson(value)) return value;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot encode ${path}: ${value} is not a finite number`);
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v, i) => (v === undefined ? null : toJsonSafe(v, `${path}[${i}]`)));
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toJsonSafe(v, `${path}.${k}`);
    }
    return out;
  }
  throw new Error(`cannot encode ${path}: a ${typeof value} is not JSON`);
}

/**
 * keepObserved sets every observed composed resource that desired state does
 * not already hold back into it, as observed (its identity, labels,
 * annotations and spec; never its status), ready when its Ready condition is
 * True. A step that cannot recompute what it composes calls it, so
 * Crossplane keeps (and does not delete) what is deployed.
 */
export function keepObserved(req: RunFunctionRequest, rsp: RunFunctionResponse): RunFunctionResponse {
  rsp.desired ??= { composite: undefined, resources: {} };
  for (const [name, observed] of Object.entries(req.observed?.resources ?? {})) {
    const body = observed.resource;
    if (body === undefined || rsp.desired.resources[name] !== undefined) continue;
    const metadata = isObject(body['metadata']) ? body['metadata'] : {};
    const kept: JsonObject = { apiVersion: body['apiVersion'], kind: body['kind'], spec: body['spec'] ?? {} };
    const identity: JsonObject = {};
    for (const key of ['name', 'namespace', 'labels', 'annotations']) if (metadata[key] !== undefined) identity[key] = metadata[key];
    if (Object.keys(identity).length > 0) kept['metadata'] = identity;
    setDesiredResource(rsp, name, kept, readyCondition(body) ? Ready.READY_TRUE : Ready.READY_FALSE);
  }
  return rsp;
}

/** readyCondition tells whether a resource reports condition Ready=True. */
function readyCondition(body: JsonObject): boolean {
  const status = body['status'];
  const conditions = isObject(status) && Array.isArray(status['conditions']) ? (status['conditions'] as unknown[]) : [];
  return conditions.some((c) => isObject(c) && c['type'] === 'Ready' && c['status'] === 'True');
}
