import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { ATPROVIDER_READ, definition, RenderCache, runFunction, type Deps } from '@scia/function-render-aws';
import { decodeRequest, encodeResponse, silentLogger, untouchedStruct, type JsonObject } from '@scia/runtime';
import { analysis, decision, observedReady, request, spec, xr } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const CERT = 'arn:aws:acm:eu-west-3:123456789012:certificate/11111111-2222-3333-4444-555555555555';

/** shuffled is `value` with every object's keys in a random order, as Go writes map entries (lists keep theirs). */
function shuffled<T>(value: T, random: () => number): T {
  if (Array.isArray(value)) return value.map((v: unknown) => shuffled(v, random)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffled(v, random)])) as T;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

interface Parts {
  strategy?: 'vm' | 'kubernetes' | 'serverless';
  policies?: Array<'require-https' | 'enable-monitoring' | 'private-data'>;
  instanceType?: string;
  port?: number;
  /** claimName renames the claim (label crossplane.io/claim-name): the deployment tags name it. */
  claimName?: string;
  /** generation is the XR's metadata.generation. */
  generation?: number;
  /** status is the XR's observed status; by default the phase a steady render reports, so that no call stamps a new history entry. */
  status?: JsonObject;
  /** observed, per composition resource name, changes the steady observed resource (ready, with the facts the renderer copies). */
  observed?: (name: string, steady: JsonObject) => JsonObject | undefined;
  /** desiredStatus is the desired XR's status as earlier steps of this run set it. */
  desiredStatus?: JsonObject;
  /** extra are observed resources besides the composed ones. */
  extra?: Record<string, JsonObject>;
}

const FACTS: Record<string, JsonObject> = {
  cert: { arn: CERT, status: 'ISSUED' },
  tg: { arn: 'arn:aws:elasticloadbalancing:eu-west-3:123456789012:targetgroup/tg/1' },
  lb: { dnsName: 'lb-1.eu-west-3.elb.amazonaws.com' },
  'function-url': { functionUrl: 'https://abc.lambda-url.eu-west-3.on.aws/' },
  'workload-service': { manifest: { status: { loadBalancer: { ingress: [{ hostname: 'svc.elb.amazonaws.com' }] } } } },
};

function plainRequest(p: Parts, names: readonly string[]): RunFunctionRequest {
  const strategy = p.strategy ?? 'vm';
  const observed: Record<string, JsonObject> = {};
  for (const name of names) {
    const steady = observedReady({ id: `${name}-1`, ...FACTS[name] });
    const got = p.observed === undefined ? steady : p.observed(name, steady);
    if (got !== undefined) observed[name] = got;
  }
  Object.assign(observed, p.extra);
  const composite = xr('cluster', spec({
    policies: p.policies ?? ['require-https', 'enable-monitoring'],
    domain: 'api.example.com',
    ...(strategy === 'serverless' ? { artifact: { image: '123456789012.dkr.ecr.eu-west-3.amazonaws.com/flask-api:1.4.2' } } : {}),
  }), p.status ?? { phase: 'Provisioning' });
  if (p.generation !== undefined) (composite['metadata'] as JsonObject)['generation'] = p.generation;
  if (p.claimName !== undefined) {
    const metadata = composite['metadata'] as JsonObject;
    metadata['labels'] = { ...(metadata['labels'] as JsonObject), 'crossplane.io/claim-name': p.claimName };
  }
  return request({
    xr: composite,
    observed,
    ...(p.desiredStatus === undefined ? {} : { desiredStatus: p.desiredStatus }),
    context: {
      'scia.io/decision': decision({ strategy, config: { instanceType: p.instanceType ?? 't3.small' } }),
      'scia.io/analysis': analysis({ port: p.port ?? 5000 }),
    },
  });
}

/** wire is `req` as Crossplane sends it: encoded with map entries in a random order. */
function wire(req: RunFunctionRequest, random: () => number): Uint8Array {
  const { observed, context } = req;
  return RunFunctionRequest.encode({ ...req, observed: shuffled(observed, random), context: shuffled(context, random) }).finish();
}

/** names are the composed resources of a strategy's steady render. */
async function composedNames(p: Parts): Promise<string[]> {
  const rsp = await runFunction(plainRequest(p, []), { clock });
  return Object.keys(rsp.desired?.resources ?? {});
}

/** digest names a response's bytes briefly (a failure prints two digests, not two responses). */
const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** call renders `bytes` decoded lazily (or by the SDK: nothing is left undecoded for a memo to compare), with `deps`; it returns the digest of the response's bytes and how many observed resources the call left undecoded. */
async function call(bytes: Uint8Array, deps: Deps, codec: 'lazy' | 'sdk' = 'lazy'): Promise<{ out: string; undecoded: number }> {
  const req = decodeRequest(bytes, codec);
  const out = digest(encodeResponse(await runFunction(req, deps)));
  const undecoded = Object.values(req.observed?.resources ?? {}).filter((r) => untouchedStruct(r) !== undefined).length;
  return { out, undecoded };
}

const notReady = (name: string) => (n: string, steady: JsonObject): JsonObject =>
  n === name ? { status: { ...(steady['status'] as JsonObject), conditions: [{ type: 'Ready', status: 'False', reason: 'Creating' }] } } : steady;
const atProvider = (name: string, at: JsonObject) => (n: string, steady: JsonObject): JsonObject =>
  n === name ? { status: { ...(steady['status'] as JsonObject), atProvider: at } } : steady;

const cases: Array<{ reason: string; first?: Parts; second: Parts; reread: boolean; changes: boolean }> = [
  { reason: 'the steady request again, its map entries in another order, reads nothing afresh', second: {}, reread: false, changes: false },
  { reason: 'a resource no longer ready is read afresh', second: { observed: notReady('vpc') }, reread: true, changes: true },
  { reason: 'a resource gone is read afresh', second: { observed: (n, s) => (n === 'asg' ? undefined : s) }, reread: true, changes: true },
  { reason: 'a resource come back is read afresh', first: { observed: (n, s) => (n === 'asg' ? undefined : s) }, second: {}, reread: true, changes: true },
  { reason: 'a resource the composition does not name, added, is read afresh', second: { extra: { stray: observedReady() } }, reread: true, changes: false },
  { reason: 'a resource without its status is read afresh', second: { observed: (n, s) => (n === 'vpc' ? { kind: 'VPC' } : s) }, reread: true, changes: true },
  { reason: 'a new certificate ARN (a fact the renderer copies) is read afresh', second: { observed: atProvider('cert', { arn: `${CERT}-2`, status: 'ISSUED' }) }, reread: true, changes: true },
  { reason: 'a new load balancer address (a fact reported as an endpoint) is read afresh', second: { observed: atProvider('lb', { dnsName: 'lb-2.elb.amazonaws.com' }) }, reread: true, changes: true },
  { reason: "a change in what the renderer does not read (a VPC's atProvider) reads nothing afresh", second: { observed: atProvider('vpc', { id: 'vpc-2' }) }, reread: false, changes: false },
  { reason: 'a changed claim spec (a policy dropped) renders afresh', second: { policies: ['require-https'] }, reread: false, changes: true },
  { reason: 'a changed decision (sizing) renders afresh', second: { instanceType: 't3.large' }, reread: false, changes: true },
  { reason: 'a changed analysis (the port) renders afresh', second: { port: 8000 }, reread: false, changes: true },
  { reason: 'a renamed claim (its name in every tag) renders afresh', second: { claimName: 'flask-api-2' }, reread: false, changes: true },
  { reason: "another phase in the XR's status is reported (history) though nothing else changed", second: { status: { phase: 'Running' } }, reread: false, changes: true },
  {
    reason: "a longer history in the XR's status is carried forward",
    first: { status: { phase: 'Provisioning', history: [{ at: '2026-01-01T00:00:00.000Z', event: 'PhaseProvisioning', message: 'Pending -> Provisioning' }] } },
    second: { status: { phase: 'Provisioning', history: [{ at: '2025-12-31T00:00:00.000Z', event: 'PhaseRunning', message: 'Pending -> Running' }, { at: '2026-01-01T00:00:00.000Z', event: 'PhaseProvisioning', message: 'Running -> Provisioning' }] } },
    reread: false,
    changes: true,
  },
  { reason: 'a new generation of the XR is reported (observedGeneration)', first: { generation: 1 }, second: { generation: 2 }, reread: false, changes: true },
  { reason: "earlier steps' other status fields, new, go back as they came", first: { desiredStatus: { analysis: { commit: 'a' } } }, second: { desiredStatus: { analysis: { commit: 'b' }, cost: { estimatedMonthly: 3 } } }, reread: false, changes: true },
  { reason: "an earlier step's pending phase is reported", first: { desiredStatus: { analysis: { commit: 'a' } } }, second: { desiredStatus: { analysis: { commit: 'a' }, phase: 'Deciding' } }, reread: false, changes: true },
  { reason: "an earlier step's Failed phase is reported with its message", second: { desiredStatus: { phase: 'Failed', message: 'cannot deploy: attempts spent' } }, reread: false, changes: true },
  {
    reason: 'history an earlier step carried forward is reported',
    second: { desiredStatus: { history: [{ at: '2025-12-31T00:00:00.000Z', event: 'PhaseProvisioning', message: 'Pending -> Provisioning' }] } },
    reread: false,
    changes: true,
  },
  { reason: 'a kubernetes Service address read afresh', first: { strategy: 'kubernetes', policies: [] }, second: { strategy: 'kubernetes', policies: [], observed: atProvider('workload-service', { manifest: { status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } } } }) }, reread: true, changes: true },
  { reason: 'a serverless function URL read afresh', first: { strategy: 'serverless' }, second: { strategy: 'serverless', observed: atProvider('function-url', { functionUrl: 'https://other.lambda-url.eu-west-3.on.aws/' }) }, reread: true, changes: true },
];

describe('render-aws reading a steady request through its memo', () => {
  it.each(cases)('$reason, byte for byte as a fresh render', async ({ first = {}, second, reread, changes }) => {
    const names = await composedNames(first);
    const renders = new RenderCache();
    const random = seeded(names.length);
    // A response carries back what it does not read in the order it came: compare responses to the same bytes.
    const steadyBytes = wire(plainRequest(first, names), random);
    const steady = await call(steadyBytes, { clock, renders });
    expect(steady.out).toBe((await call(steadyBytes, { clock }, 'sdk')).out);
    const bytes = wire(plainRequest(second, names), random);
    const got = await call(bytes, { clock, renders });
    const fresh = await call(bytes, { clock }, 'sdk');
    expect(got.out).toBe(fresh.out);
    // The memo answered without decoding the observed resources, or read them all afresh.
    expect(got.undecoded).toBe(reread ? 0 : Object.keys(decodeRequest(bytes, 'lazy').observed?.resources ?? {}).length);
    // Whether what was rendered changed at all (the same request in its first order answers as the steady one).
    const unshuffled = async (p: Parts) => (await call(RunFunctionRequest.encode(plainRequest(p, names)).finish(), { clock }, 'sdk')).out;
    expect((await unshuffled(second)) !== (await unshuffled(first))).toBe(changes);
  });

  it('as built and served (the kit reads the XR labels before the step), answers a steady request without decoding its observed resources', async () => {
    const built = await definition.build({ env: { SCIA_NOW: '2026-01-01T00:00:00Z' }, logger: silentLogger() });
    try {
      const names = await composedNames({});
      const random = seeded(11);
      for (const [i, bytes] of [wire(plainRequest({}, names), random), wire(plainRequest({}, names), random)].entries()) {
        const req = decodeRequest(bytes, 'lazy');
        const out = digest(encodeResponse(await built.run(req, silentLogger())));
        const undecoded = Object.values(req.observed?.resources ?? {}).filter((r) => untouchedStruct(r) !== undefined).length;
        expect({ out, undecoded }).toEqual({ out: (await call(bytes, { clock }, 'sdk')).out, undecoded: i === 0 ? 0 : names.length });
      }
    } finally {
      await built.close();
    }
  });

  it('answers a request decoded by the SDK, or whose observed resources were read already, as a fresh render', async () => {
    const names = await composedNames({});
    const renders = new RenderCache();
    const random = seeded(3);
    await call(wire(plainRequest({}, names), random), { clock, renders });
    const changed = wire(plainRequest({ observed: notReady('vpc') }, names), random);
    const sdk = decodeRequest(changed, 'sdk');
    expect(digest(encodeResponse(await runFunction(sdk, { clock, renders })))).toBe((await call(changed, { clock }, 'sdk')).out);
    const read = decodeRequest(changed, 'lazy');
    for (const r of Object.values(read.observed?.resources ?? {})) void r.resource;
    expect(digest(encodeResponse(await runFunction(read, { clock, renders })))).toBe((await call(changed, { clock }, 'sdk')).out);
  });
});

describe('render-aws reporting a steady request through its memo', () => {
  it('stamps a new history entry with the time of each call, as a fresh render does', async () => {
    const names = await composedNames({});
    const renders = new RenderCache();
    // The XR says Pending while every resource is ready: each call reports the move to Running, at its time.
    const bytes = wire(plainRequest({ status: { phase: 'Pending' } }, names), seeded(5));
    const outs: string[] = [];
    for (const at of ['2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z']) {
      const timed = { now: () => new Date(at) };
      const got = (await call(bytes, { clock: timed, renders })).out;
      expect(got).toBe((await call(bytes, { clock: timed }, 'sdk')).out);
      outs.push(got);
    }
    expect(new Set(outs).size).toBe(3);
  });
});

describe('what the render reads of observed resources', () => {
  it.each(['vm', 'kubernetes', 'serverless'] as const)('%s: a change to the atProvider of a resource not in ATPROVIDER_READ changes nothing rendered', async (strategy) => {
    const names = await composedNames({ strategy });
    const inOrder = (r: RunFunctionRequest) => RunFunctionRequest.encode(r).finish();
    const steady = (await call(inOrder(plainRequest({ strategy }, names)), { clock })).out;
    for (const name of names.filter((n) => !ATPROVIDER_READ.has(n))) {
      const other = atProvider(name, { id: 'changed', arn: 'arn:changed', dnsName: 'changed', functionUrl: 'https://changed/', address: 'changed' });
      expect({ name, out: (await call(inOrder(plainRequest({ strategy, observed: other }, names)), { clock })).out }).toEqual({ name, out: steady });
    }
  });
});
