import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';

/**
 * A seeded fuzzer for RunFunctionRequests: it takes requests the pipeline
 * really sends (captured from renders of the examples) and applies a few
 * random mutations to the XR, the observed resources, the desired state and
 * the context. Every mutated request is valid protobuf, so the step must
 * answer each with a response: an RPC error, a hang or a thrown error (the
 * server's catch-all Fatal) is a failure. The same seed gives the same requests.
 */

/** Rand returns a number in [0, 1). */
export type Rand = () => number;

/** mulberry32 is a small seeded generator. */
export function mulberry32(seed: number): Rand {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

/** Strings that have broken parsers before: empty, huge, control characters, lookalikes, numbers as text, paths. */
const STRINGS = ['', ' ', 'null', 'NaN', '-1', '1e309', '0x10', '../../etc/passwd', '\u0000', '\u202e\u0007', 'ñ𝔘\ud800', 'a'.repeat(70_000), 'auto', 'vm', 'kubernetes', 'serverless', 'hard', 'soft', 'HEAD', 'main', '2026-13-45T99:00:00Z', '{"a":1}', 'team-a', 'crossplane.io/claim-namespace'];
const NUMBERS = [0, -0, -1, 1, 0.5, 2 ** 31, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e21, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/** Repository URLs the analyze step may be sent: local examples, refused schemes, and loopback that is refused before connecting. Never a name that would need DNS. */
const REPOSITORY_URLS = ['./examples/apps/flask-api', './examples/apps/express-api', './examples/apps/fastapi-app', './examples/missing', 'https://127.0.0.1:1/acme/app', 'https://[::1]:1/x', 'http://127.0.0.1:1/x', 'ssh://git@127.0.0.1/x', 'git@127.0.0.1:x/y', 'file:///nonexistent', 'not a url', ''];

/** randomValue is a JSON-ish value of any type, at most `depth` levels deep (sometimes far deeper). */
export function randomValue(rand: Rand, depth = 3): unknown {
  const r = rand();
  if (r < 0.25) return pick(rand, STRINGS);
  if (r < 0.45) return pick(rand, NUMBERS);
  if (r < 0.5) return rand() < 0.5;
  if (r < 0.55) return null;
  if (r < 0.6) return nested(Math.floor(rand() * 150));
  if (depth <= 0) return pick(rand, STRINGS);
  if (r < 0.8) return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth - 1));
  return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [pick(rand, [...STRINGS.slice(0, 13), 'spec', 'status', 'metadata', 'name', 'kind']), randomValue(rand, depth - 1)]));
}

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { n: v };
  return v;
}

type Container = Record<string, unknown> | unknown[];

/** paths lists every container and key of `root`, so a mutation can land anywhere. */
function paths(root: unknown, out: [Container, string | number][] = [], depth = 0): [Container, string | number][] {
  if (depth > 40 || typeof root !== 'object' || root === null) return out;
  const container = root as Container;
  for (const key of Array.isArray(container) ? container.keys() : Object.keys(container)) {
    out.push([container, key]);
    paths((container as Record<string | number, unknown>)[key], out, depth + 1);
  }
  return out;
}

/** mutate applies one random edit to `root` in place: replace, delete, retype, wrap, or copy a subtree elsewhere. */
export function mutate(rand: Rand, root: unknown): void {
  const all = paths(root);
  if (all.length === 0) return;
  const [container, key] = pick(rand, all);
  const slot = container as Record<string | number, unknown>;
  const r = rand();
  if (r < 0.35) slot[key] = randomValue(rand);
  else if (r < 0.5) {
    if (Array.isArray(container)) container.splice(Number(key), 1);
    else delete slot[key];
  } else if (r < 0.6) slot[key] = [slot[key]];
  else if (r < 0.7) slot[key] = typeof slot[key] === 'string' ? Number(slot[key]) : String(slot[key]);
  else if (r < 0.8) slot[key] = structuredClone(pick(rand, all)[0]);
  else if (r < 0.9) slot[key] = { [String(key)]: slot[key] };
  else slot[key] = pick(rand, NUMBERS);
}

/**
 * fuzzRequest is `base` with 1 to 4 mutations spread over its parts, a random
 * tag, and spec.repository.url kept to REPOSITORY_URLS (a fuzzer must not
 * reach outside the machine).
 */
export function fuzzRequest(rand: Rand, base: RunFunctionRequest, n: number): RunFunctionRequest {
  // A mutation the protobuf JSON mapping cannot carry (null where a message
  // belongs) is no request at all: mutate afresh, and after a few tries send the base.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return mutated(rand, base, n);
    } catch {
      // try another mutation
    }
  }
  return RunFunctionRequest.fromPartial({ ...base, meta: { tag: `fuzz-${n}` } });
}

function mutated(rand: Rand, base: RunFunctionRequest, n: number): RunFunctionRequest {
  const json = structuredClone(RunFunctionRequest.toJSON(base)) as Record<string, unknown>;
  const parts = ['observed', 'desired', 'context', 'observed', 'extraResources'].map((k) => (json[k] ??= {}));
  for (let i = 0, count = 1 + Math.floor(rand() * 4); i < count; i++) {
    const target = pick(rand, parts);
    if (rand() < 0.1) (target as Record<string, unknown>)[pick(rand, ['scia.io/analysis', 'scia.io/decision', 'scia.io/similar', 'apiextensions.crossplane.io/environment', 'x'])] = randomValue(rand);
    else mutate(rand, target);
  }
  json['meta'] = { tag: `fuzz-${n}` };
  keepUrlsLocal(rand, json);
  return RunFunctionRequest.fromJSON(json);
}

function keepUrlsLocal(rand: Rand, json: unknown): void {
  for (const [container, key] of paths(json)) {
    const slot = container as Record<string | number, unknown>;
    const v = slot[key];
    if (key === 'url' && typeof v === 'string' && !REPOSITORY_URLS.includes(v)) slot[key] = pick(rand, REPOSITORY_URLS);
    else if (typeof v === 'string' && /:\/\/|^\//.test(v) && !REPOSITORY_URLS.includes(v)) slot[key] = 'x';
  }
}
