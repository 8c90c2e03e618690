import type { CoreV1Event, KubernetesObject } from '@kubernetes/client-node';
import { GraphQLError } from 'graphql';
import { DeploymentSpec, type CitedCase } from '@scia/api';
import { EVENTS } from './access.js';
import { lastSeen } from './cache.js';
import type { Ctx } from './context.js';
import { kubeError } from './kube.js';
import { similarOf } from './queries.js';
import { asRecord, isRecord, type View } from './view.js';

/** MAX_RESOURCES bounds the composed resources read for one Deployment. */
const MAX_RESOURCES = 50;

type Ref = { apiVersion: string; kind: string; name: string; namespace?: string };

const specs = new WeakMap<object, ReturnType<typeof readSpec>>();

/** specOf is a Deployment's spec with the schema's defaults (read once per object version); a spec that does not parse is shown as written. */
export function specOf(raw: Record<string, unknown>): ReturnType<typeof readSpec> {
  let hit = specs.get(raw);
  if (hit === undefined) {
    hit = readSpec(raw);
    specs.set(raw, hit);
  }
  return hit;
}

function readSpec(raw: Record<string, unknown>) {
  const parsed = DeploymentSpec.safeParse(raw);
  const s = (parsed.success ? parsed.data : raw) as Record<string, unknown>;
  const repo = asRecord(s['repository']);
  const budget = isRecord(s['budget']) ? s['budget'] : undefined;
  const artifact = isRecord(s['artifact']) ? s['artifact'] : undefined;
  const s3 = asRecord(artifact?.['s3']);
  return {
    repository: { url: typeof repo['url'] === 'string' ? repo['url'] : '', ref: typeof repo['ref'] === 'string' ? repo['ref'] : 'HEAD', path: repo['path'] ?? null, hasCredentials: isRecord(repo['credentialsSecretRef']) },
    prompt: s['prompt'] ?? '',
    cloudProvider: s['cloudProvider'] ?? 'aws',
    region: s['region'] ?? '',
    budget: budget === undefined ? null : { maxMonthlyCost: budget['maxMonthlyCost'] ?? null, alertThreshold: budget['alertThreshold'] ?? 0.8, enforcementMode: budget['enforcementMode'] ?? 'soft' },
    policies: Array.isArray(s['policies']) ? s['policies'] : [],
    strategy: s['strategy'] ?? 'auto',
    domain: s['domain'] ?? null,
    artifact: artifact === undefined ? null : { image: artifact['image'] ?? null, s3Bucket: s3['bucket'] ?? null, s3Key: s3['key'] ?? null },
    overrides: s['overrides'] ?? null,
    providerConfigName: s['providerConfigName'] ?? 'default',
  };
}

function condition(obj: Record<string, unknown>, type: string): Record<string, unknown> | undefined {
  const conds = asRecord(obj['status'])['conditions'];
  return Array.isArray(conds) ? conds.filter(isRecord).find((c) => c['type'] === type) : undefined;
}

/** composed reads a Deployment's composed resources as the caller, each one's failure kept to its own row. */
async function composed(v: View, ctx: Ctx) {
  const objects = ctx.deps.kube.forToken(ctx.token).objects;
  let refs: Ref[] = v.resourceRefs;
  if (refs.length === 0 && v.compositeRef !== null) {
    try {
      const xr = await objects.read({ apiVersion: v.compositeRef.apiVersion, kind: v.compositeRef.kind, metadata: { name: v.compositeRef.name } });
      refs = refsOf(asRecord((xr as KubernetesObject & { spec?: unknown }).spec)['resourceRefs']);
    } catch {
      // A user without rights on the cluster-scoped XR sees no composed resources, not an error.
      return [];
    }
  }
  return Promise.all(refs.slice(0, MAX_RESOURCES).map(async (r) => {
    // A v2 XR's refs name no namespace: its namespaced resources live in its own (the client drops it for cluster-scoped kinds).
    const namespace = r.namespace ?? (v.compositeRef === null ? v.namespace : undefined);
    const row = { apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace: namespace ?? null };
    try {
      const obj = (await objects.read({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, ...(namespace === undefined ? {} : { namespace }) } })) as unknown as Record<string, unknown>;
      const ready = condition(obj, 'Ready');
      const synced = condition(obj, 'Synced');
      const message = ready?.['status'] === 'True' ? null : (ready?.['message'] ?? synced?.['message'] ?? null);
      return { ...row, ready: ready === undefined ? false : ready['status'] === 'True', synced: synced === undefined ? null : synced['status'] === 'True', message };
    } catch (err) {
      const e = kubeError(err);
      return { ...row, ready: null, synced: null, message: e.code === 403 ? 'forbidden' : e.code === 404 ? 'not found' : `cannot read: ${e.message}` };
    }
  }));
}

function refsOf(raw: unknown): Ref[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).flatMap((r) => typeof r['apiVersion'] === 'string' && typeof r['kind'] === 'string' && typeof r['name'] === 'string'
    ? [{ apiVersion: r['apiVersion'], kind: r['kind'], name: r['name'], ...(typeof r['namespace'] === 'string' ? { namespace: r['namespace'] } : {}) }] : []);
}

function eventRow(e: CoreV1Event) {
  const at = lastSeen(e);
  return {
    type: e.type ?? 'Normal', reason: e.reason ?? '', message: e.message ?? '', count: e.count ?? 1,
    lastSeen: at === 0 ? null : new Date(at).toISOString(),
    source: e.source?.component ?? e.reportingComponent ?? null,
  };
}

const decisions = new WeakMap<View, unknown>();
const costs = new WeakMap<View, unknown>();

/** once computes a View's derived value the first time it is asked for: a View never changes. */
function once<T>(memo: WeakMap<View, unknown>, v: View, make: () => T): T {
  if (memo.has(v)) return memo.get(v) as T;
  const made = make();
  memo.set(v, made);
  return made;
}

export const Deployment = {
  spec: (v: View) => specOf(v.spec),
  message: (v: View) => v.status.message ?? null,
  observedGeneration: (v: View) => v.status.observedGeneration ?? null,
  ready: (v: View) => v.conditions.some((c) => c['type'] === 'Ready' && c['status'] === 'True'),
  conditions: (v: View) => v.conditions.filter((c) => typeof c['type'] === 'string' && typeof c['status'] === 'string'),
  decision: (v: View) => once(decisions, v, () => {
    const d = v.status.deployment;
    if (d === undefined) return null;
    return { ...d, model: d.model ?? null, config: d.config ?? null, alternatives: d.alternativeStrategies, citedCaseIds: d.citedCases, namespace: v.namespace };
  }),
  cost: (v: View) => once(costs, v, () => {
    const c = v.status.cost;
    if (c === undefined) return null;
    return { estimatedMonthly: c.estimatedMonthly, currency: c.currency, breakdown: c.breakdown ?? [], budget: v.budget, budgetUse: v.budget === null || v.budget === 0 ? null : c.estimatedMonthly / v.budget };
  }),
  analysis: (v: View) => v.status.analysis ?? null,
  history: (v: View) => v.status.history ?? [],
  resources: (v: View, _: unknown, ctx: Ctx) => composed(v, ctx),
  async events(v: View, _: unknown, ctx: Ctx) {
    // Events need their own right: a user who may read Deployments but not events sees none.
    if (!(await ctx.deps.access.can(ctx.token, 'list', EVENTS, v.namespace))) return [];
    return ctx.deps.cache.eventsOf(v).map(eventRow);
  },
  similarCases: (v: View, args: { first?: number | null }, ctx: Ctx) => degrade(ctx, `search cases like ${v.id}`, () => similarOf(ctx, v, args.first)),
};

/**
 * degrade answers a Deployment's store-backed list, or none when the store
 * fails: the field is non-null, and one store outage must not blank the whole
 * Deployment (Query.similarCases reports the failure itself).
 */
async function degrade<T>(ctx: Ctx, what: string, read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof GraphQLError && err.extensions['code'] === 'BAD_USER_INPUT') throw err;
    ctx.deps.logger.warn({ err: String(err), user: ctx.who.username }, `cannot ${what}`);
    return [];
  }
}

export const Decision = {
  async citedCases(d: { citedCaseIds: string[]; namespace: string; cases?: readonly CitedCase[] | undefined }, _: unknown, ctx: Ctx) {
    const cases = ctx.deps.cases;
    if (d.citedCaseIds.length === 0 || cases === undefined) return [];
    // The app's similarity to each cited case (its traits term), as the decision scored it.
    const similarity = new Map((d.cases ?? []).map((c) => [c.id, c.traits]));
    return degrade(ctx, 'read cited cases', () => cases.byIds(d.citedCaseIds, d.namespace, similarity));
  },
};
