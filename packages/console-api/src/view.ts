import { DeploymentStatus, type Endpoint, type Phase } from '@scia/api';
import { Annotation } from '@scia/api';
import type { KubernetesObject } from '@kubernetes/client-node';

/** TEAM_LABEL names a Deployment's team; without it the team is the namespace. */
export const TEAM_LABEL = 'scia.io/team';

/** DeploymentObject is a Deployment (claim or v2 XR) as the API server returns it. */
export interface DeploymentObject extends KubernetesObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** View is a Deployment as the API shows it; computed once per resourceVersion. */
export interface View {
  id: string;
  namespace: string;
  name: string;
  uid: string;
  createdAt: string | null;
  generation: number | null;
  team: string;
  labels: Array<{ key: string; value: string }>;
  phase: Phase | null;
  strategy: string | null;
  estimatedMonthly: number | null;
  budget: number | null;
  spec: Record<string, unknown>;
  status: DeploymentStatus;
  conditions: Array<Record<string, unknown>>;
  endpoints: Endpoint[];
  feedback: { value: number; comment: string | null } | null;
  /** resourceRefs are the composed resources named by the object (v2: spec.crossplane.resourceRefs). */
  resourceRefs: Array<{ apiVersion: string; kind: string; name: string; namespace?: string }>;
  /** compositeRef is a v1 claim's XR (spec.resourceRef), whose spec.resourceRefs name the composed resources. */
  compositeRef: { apiVersion: string; kind: string; name: string } | null;
  object: DeploymentObject;
}

const views = new WeakMap<object, View>();

/** viewOf reads a Deployment object into its View (kept per object: an informer replaces objects on change). */
export function viewOf(obj: DeploymentObject): View {
  const hit = views.get(obj);
  if (hit !== undefined) return hit;
  const made = build(obj);
  views.set(obj, made);
  return made;
}

function build(obj: DeploymentObject): View {
  const meta = obj.metadata ?? {};
  const namespace = meta.namespace ?? '';
  const name = meta.name ?? '';
  const spec = obj.spec ?? {};
  const rawStatus = obj.status ?? {};
  // A status the pipeline wrote is trusted field by field: a part that does not parse is left out, never guessed.
  const parsed = DeploymentStatus.safeParse(rawStatus);
  const status: DeploymentStatus = parsed.success ? parsed.data : lenientStatus(rawStatus);
  const labels = meta.labels ?? {};
  const annotations = meta.annotations ?? {};
  const budget = asRecord(spec['budget'])['maxMonthlyCost'];
  const crossplane = asRecord(spec['crossplane']);
  return {
    id: `${namespace}/${name}`,
    namespace,
    name,
    uid: meta.uid ?? '',
    createdAt: meta.creationTimestamp === undefined ? null : new Date(meta.creationTimestamp).toISOString(),
    generation: meta.generation ?? null,
    team: labels[TEAM_LABEL] ?? namespace,
    labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
    phase: status.phase ?? null,
    strategy: status.deployment?.strategy ?? null,
    estimatedMonthly: status.cost?.estimatedMonthly ?? null,
    budget: typeof budget === 'number' ? budget : null,
    spec,
    status,
    conditions: Array.isArray(rawStatus['conditions']) ? rawStatus['conditions'].filter(isRecord) : [],
    endpoints: status.endpoints ?? [],
    feedback: feedbackOf(annotations),
    resourceRefs: refsOf(crossplane['resourceRefs'] ?? spec['resourceRefs']),
    compositeRef: compositeOf(spec['resourceRef']),
    object: obj,
  };
}

function lenientStatus(raw: Record<string, unknown>): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DeploymentStatus.shape)) {
    const field = DeploymentStatus.shape[key as keyof typeof DeploymentStatus.shape].safeParse(raw[key]);
    if (field.success && field.data !== undefined) out[key] = field.data;
  }
  return out;
}

function feedbackOf(annotations: Record<string, string>): View['feedback'] {
  const raw = annotations[Annotation.feedback]?.trim();
  const value = raw === '+1' || raw === '1' ? 1 : raw === '-1' ? -1 : undefined;
  if (value === undefined) return null;
  return { value, comment: annotations[Annotation.feedbackComment] ?? null };
}

function refsOf(raw: unknown): View['resourceRefs'] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).flatMap((r) => {
    const { apiVersion, kind, name, namespace } = r;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return [];
    return [{ apiVersion, kind, name, ...(typeof namespace === 'string' ? { namespace } : {}) }];
  });
}

function compositeOf(raw: unknown): View['compositeRef'] {
  const r = asRecord(raw);
  const { apiVersion, kind, name } = r;
  return typeof apiVersion === 'string' && typeof kind === 'string' && typeof name === 'string' ? { apiVersion, kind, name } : null;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asRecord(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}
