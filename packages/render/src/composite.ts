import { Ready, Status, type Condition, type State } from '@crossplane-org/function-sdk-typescript';
import { deepCopy, field, isObject, setMetadataString, stringField } from './json.js';
import type { JsonObject } from './types.js';
import type { Result } from './yaml-io.js';

/** CONDITION_TIME is every rendered condition's lastTransitionTime: required, but only noise in a render. */
export const CONDITION_TIME = '2024-01-01T00:00:00Z';

/** SYSTEM_CONDITIONS are condition types functions may not set on the XR. */
const SYSTEM_CONDITIONS = new Set(['Ready', 'Synced', 'Healthy', 'Responsive']);

/** FIRST_N is how many unready resource names the Ready message lists before "and N more". */
const FIRST_N = 3;

/**
 * renderComposite builds the output XR from the desired composite resource
 * (functions can only set its status): apiVersion, kind, name and namespace
 * come from the input XR; its Ready condition comes from the pipeline's
 * readiness; the conditions functions returned are added, except system ones.
 */
export function renderComposite(desired: State | undefined, xr: JsonObject, unready: readonly string[], conditions: readonly Condition[]): JsonObject {
  const out = deepCopy(desired?.composite?.resource ?? {});
  out['apiVersion'] = stringField(xr, 'apiVersion');
  out['kind'] = stringField(xr, 'kind');
  setMetadataString(out, 'name', stringField(xr, 'metadata', 'name'));
  setMetadataString(out, 'namespace', stringField(xr, 'metadata', 'namespace'));
  let current = readConditions(out);
  current = setCondition(current, readyCondition(desired?.composite?.ready ?? Ready.READY_UNSPECIFIED, unready));
  for (const c of conditions) {
    if (!SYSTEM_CONDITIONS.has(c.type)) current = setCondition(current, fromFunction(c));
  }
  const status = isObject(out['status']) ? out['status'] : {};
  out['status'] = { ...status, conditions: current };
  return out;
}

/** readyCondition is Creating when the XR is READY_FALSE or, with readiness unspecified, any resource is not READY_TRUE; else Available. */
export function readyCondition(compositeReady: Ready, unready: readonly string[]): JsonObject {
  if (compositeReady === Ready.READY_FALSE) return { type: 'Ready', status: 'False', lastTransitionTime: CONDITION_TIME, reason: 'Creating' };
  if (compositeReady === Ready.READY_UNSPECIFIED && unready.length > 0) {
    return {
      type: 'Ready',
      status: 'False',
      lastTransitionTime: CONDITION_TIME,
      reason: 'Creating',
      message: `Unready resources: ${stableNAndSomeMore(FIRST_N, unready)}`,
    };
  }
  return { type: 'Ready', status: 'True', lastTransitionTime: CONDITION_TIME, reason: 'Available' };
}

/** stableNAndSomeMore lists sorted names: "a", "a, b", "a, b, and c", "a, b, c, and 2 more". */
export function stableNAndSomeMore(n: number, names: readonly string[]): string {
  const sorted = [...names].sort();
  if (sorted.length > n) return `${sorted.slice(0, n).join(', ')}, and ${sorted.length - n} more`;
  if (sorted.length === n) return `${sorted.slice(0, n - 1).join(', ')}, and ${sorted[n - 1] ?? ''}`;
  return sorted.join(', ');
}

function fromFunction(c: Condition): JsonObject {
  const status = c.status === Status.STATUS_CONDITION_TRUE ? 'True' : c.status === Status.STATUS_CONDITION_FALSE ? 'False' : 'Unknown';
  return {
    type: c.type,
    status,
    lastTransitionTime: CONDITION_TIME,
    reason: c.reason,
    ...(c.message === undefined || c.message === '' ? {} : { message: c.message }),
  };
}

/** readConditions reads status.conditions as Crossplane's condition type holds them (unknown fields dropped). */
function readConditions(xr: JsonObject): JsonObject[] {
  const list = field(xr, 'status', 'conditions');
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((c) => {
    const time = c['lastTransitionTime'];
    const generation = c['observedGeneration'];
    const message = stringField(c, 'message');
    return {
      type: stringField(c, 'type'),
      status: stringField(c, 'status'),
      lastTransitionTime: typeof time === 'string' ? time : null,
      reason: stringField(c, 'reason'),
      ...(message === '' ? {} : { message }),
      ...(typeof generation === 'number' && generation !== 0 ? { observedGeneration: generation } : {}),
    };
  });
}

const KEYS = ['type', 'status', 'reason', 'message', 'observedGeneration'];

/** setCondition replaces the condition of the same type unless it is equal but for its time, else appends. */
function setCondition(conditions: JsonObject[], c: JsonObject): JsonObject[] {
  let found = false;
  const out = conditions.map((existing) => {
    if (existing['type'] !== c['type']) return existing;
    found = true;
    return KEYS.every((k) => existing[k] === c[k]) ? existing : c;
  });
  if (!found) out.push(c);
  return out;
}

/** withFullXr copies the input XR's spec and metadata over the output XR (`-x`). */
export function withFullXr(out: JsonObject, xr: JsonObject): Result<JsonObject> {
  for (const key of ['spec', 'metadata']) {
    if (!(key in xr)) return { ok: false, error: `cannot get composite resource ${key}: ${key}: no such field` };
    out[key] = deepCopy(xr[key]);
  }
  return { ok: true, value: out };
}
