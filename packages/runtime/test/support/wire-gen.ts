import { Ready, RunFunctionRequest, RunFunctionResponse, Severity, Status, Target, type Resource } from '@crossplane-org/function-sdk-typescript';

/** Rand is a seeded generator (mulberry32): the same seed, the same messages. */
export class Rand {
  #s: number;

  constructor(seed: number) {
    this.#s = seed >>> 0;
  }

  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
}

const NUMBERS = [0, -0, 1, -1, 42, 3.5, -2.25e-7, 1e21, 1.7976931348623157e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, -123456789012, 0.1 + 0.2];
const STRINGS = ['', 'a', 'eu-west-3', 'déploiement', '日本語のテキスト', 'emoji 🚀 ok', '\ufeffbom first', 'lone \ud800 surrogate', 'tab\tnew\nline "quoted" \\', 'x'.repeat(70), 'é'.repeat(40), '\u0000nul'];
// Not 'constructor': the test's deep equality reads it as the object's type.
const KEYS = ['', 'apiVersion', 'kind', 'metadata', 'spec', 'status', '0', '12', 'clé', 'k-8s.io/name', 'a b', '🙂', 'toString', 'valueOf'];

/** json is a random JSON value up to `depth` levels deep: objects (empty ones too), lists with nulls and lists, strings, numbers, booleans. */
export function json(r: Rand, depth: number): unknown {
  const kind = r.int(depth <= 0 ? 4 : 7);
  switch (kind) {
    case 0: return null;
    case 1: return r.next() < 0.5;
    case 2: return r.pick(NUMBERS) * (r.next() < 0.3 ? r.next() : 1);
    case 3: return r.pick(STRINGS) + (r.next() < 0.5 ? String(r.int(1000)) : '');
    case 4: case 5: return object(r, depth - 1);
    default: return Array.from({ length: r.int(5) }, () => json(r, depth - 1));
  }
}

/** object is a random JSON object with 0 to 6 keys in random order. */
export function object(r: Rand, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = r.int(7);
  for (let i = 0; i < n; i++) out[r.pick(KEYS) + (r.next() < 0.5 ? String(r.int(50)) : '')] = json(r, depth);
  return out;
}

function resource(r: Rand): Resource {
  const details: Record<string, Buffer> = {};
  for (let i = r.int(3); i > 0; i--) details[r.pick(KEYS) + String(i)] = Buffer.from(r.pick(STRINGS) + String(i));
  if (r.next() < 0.2) details['empty'] = Buffer.alloc(0);
  return {
    resource: r.next() < 0.9 ? { apiVersion: 'x.io/v1', kind: 'K', ...object(r, 4) } : undefined,
    connectionDetails: details,
    ready: r.pick([Ready.READY_UNSPECIFIED, Ready.READY_TRUE, Ready.READY_FALSE]),
  };
}

function resources(r: Rand, n: number): Record<string, Resource> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${r.pick(['db', 'bucket', 'vpc', 'rôle', ''])}-${i}`, resource(r)]));
}

/** request is a random RunFunctionRequest: observed and desired state, input, context, extra and required resources, credentials, schemas. */
export function request(r: Rand): RunFunctionRequest {
  const some = (p: number): boolean => r.next() < p;
  return RunFunctionRequest.fromPartial({
    meta: some(0.9) ? { tag: `tag-${r.int(1e6)}`, capabilities: some(0.5) ? [1, 2] : [] } : undefined,
    observed: some(0.9) ? { composite: some(0.9) ? resource(r) : undefined, resources: resources(r, r.int(6)) } : undefined,
    desired: some(0.7) ? { composite: some(0.7) ? resource(r) : undefined, resources: resources(r, r.int(4)) } : undefined,
    input: some(0.5) ? object(r, 3) : undefined,
    context: some(0.7) ? { 'scia.io/analysis': object(r, 3), 'apiextensions.crossplane.io/environment': object(r, 2) } : undefined,
    extraResources: some(0.3) ? { extra: { items: [{ resource: object(r, 2), connectionDetails: {}, ready: 0 }] } } : {},
    credentials: some(0.3) ? { creds: { credentialData: { data: { password: Buffer.from(`s3cret-${r.int(99)}`) } } } } : {},
    requiredResources: some(0.3) ? { needed: { items: [{ resource: object(r, 2), connectionDetails: {}, ready: 1 }] } } : {},
    requiredSchemas: some(0.2) ? { schema: { openapiV3: object(r, 2) } } : {},
  });
}

/** response is a random RunFunctionResponse: meta with a TTL, desired state, results, context, requirements, conditions, output. */
export function response(r: Rand): RunFunctionResponse {
  const some = (p: number): boolean => r.next() < p;
  return RunFunctionResponse.fromPartial({
    meta: some(0.9) ? { tag: `tag-${r.int(1e6)}`, ttl: { seconds: r.int(600), nanos: some(0.2) ? r.int(1e9) : 0 } } : undefined,
    desired: some(0.9) ? { composite: some(0.8) ? resource(r) : undefined, resources: resources(r, r.int(6)) } : undefined,
    results: Array.from({ length: r.int(3) }, () => ({ severity: r.pick([Severity.SEVERITY_FATAL, Severity.SEVERITY_WARNING, Severity.SEVERITY_NORMAL]), message: r.pick(STRINGS), ...(some(0.5) ? { reason: 'Reason' } : {}), target: Target.TARGET_COMPOSITE })),
    context: some(0.7) ? object(r, 3) : undefined,
    requirements: some(0.2) ? { extraResources: { x: { apiVersion: 'v1', kind: 'ConfigMap', matchName: 'cm' } }, resources: {}, schemas: {} } : undefined,
    conditions: Array.from({ length: r.int(3) }, () => ({ type: 'Ready', status: r.pick([Status.STATUS_CONDITION_TRUE, Status.STATUS_CONDITION_FALSE]), reason: 'Available', target: Target.TARGET_COMPOSITE_AND_CLAIM })),
    output: some(0.2) ? object(r, 2) : undefined,
  });
}

/** sdkEncode is the SDK's encoding of `rsp`: the bytes the lazy encoder's must equal. */
export const sdkEncode = (rsp: RunFunctionResponse): Buffer => Buffer.from(RunFunctionResponse.encode(rsp).finish());

/** attempt runs `f`, reporting whether it threw: a decode is complete only once every lazy resource is read, which toStrictEqual does. */
export function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: f() };
  } catch {
    return { ok: false };
  }
}
