import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { z } from 'zod';
import { Annotation, Api, DeploymentSpec } from '@scia/api';
import { DEPLOYMENTS } from './access.js';
import { apiError, parseId, type Ctx, type FieldError } from './context.js';
import { kubeError } from './kube.js';
import { viewOf, type DeploymentObject } from './view.js';

/** DeploymentInput is the GraphQL input type as it arrives (absent fields null or missing). */
export interface DeploymentInput {
  namespace: string;
  name: string;
  repository: { url: string; ref?: string | null; path?: string | null };
  prompt?: string | null;
  cloudProvider?: string | null;
  region: string;
  budget?: { maxMonthlyCost?: number | null; alertThreshold?: number | null; enforcementMode?: string | null } | null;
  policies?: string[] | null;
  strategy?: string | null;
  domain?: string | null;
  artifact?: { image?: string | null; s3Bucket?: string | null; s3Key?: string | null } | null;
  overrides?: unknown;
  providerConfigName?: string | null;
  labels?: Array<{ key: string; value: string }> | null;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** compact drops null and undefined fields, recursively, so only what the user gave is applied. */
function compact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(compact);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, compact(x)]));
}

/** specOfInput is the claim's spec as the input writes it. */
export function specOfInput(i: DeploymentInput): Record<string, unknown> {
  const a = i.artifact;
  const artifact = a == null ? undefined : { image: a.image, ...(a.s3Bucket == null && a.s3Key == null ? {} : { s3: { bucket: a.s3Bucket, key: a.s3Key } }) };
  return compact({
    repository: i.repository, prompt: i.prompt, cloudProvider: i.cloudProvider, region: i.region, budget: i.budget,
    policies: i.policies, strategy: i.strategy, domain: i.domain, artifact, overrides: i.overrides, providerConfigName: i.providerConfigName,
  }) as Record<string, unknown>;
}

/** checkInput makes the checks the XRD's schema and CEL rules make (the zod schema they are generated from), naming each field. */
export function checkInput(i: DeploymentInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!DNS_LABEL.test(i.namespace)) errors.push({ field: 'namespace', message: 'must be a DNS label: lower-case letters, digits and -, at most 63' });
  if (!DNS_LABEL.test(i.name)) errors.push({ field: 'name', message: 'must be a DNS label: lower-case letters, digits and -, at most 63' });
  for (const [n, l] of (i.labels ?? []).entries()) {
    if (!LABEL_KEY.test(l.key)) errors.push({ field: `labels[${n}].key`, message: 'must be a label key such as scia.io/team' });
    if (!LABEL_VALUE.test(l.value)) errors.push({ field: `labels[${n}].value`, message: 'must be a label value: at most 63 letters, digits, -, _ or .' });
  }
  const parsed = DeploymentSpec.safeParse(specOfInput(i));
  if (!parsed.success) errors.push(...issues(parsed.error));
  return errors;
}

function issues(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: ['spec', ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))].join('.').replace(/\.\[/g, '['),
    message: issue.message,
  }));
}

/** fromKube turns a refused Kubernetes call into field errors (the API server's causes, else one for the request). */
export function fromKube(err: unknown, what: string): FieldError[] {
  const e = kubeError(err);
  if (e.code === 401) throw apiError('UNAUTHENTICATED', 'the API server refused the token');
  if (e.causes.length > 0) return e.causes.map((c) => ({ field: c.field, message: c.message }));
  return [{ field: '', message: `cannot ${what}: ${e.message}` }];
}

export const Mutation = {
  async createDeployment(_: unknown, { input }: { input: DeploymentInput }, ctx: Ctx) {
    const errors = checkInput(input);
    if (errors.length > 0) return { deployment: null, errors };
    const labels = Object.fromEntries((input.labels ?? []).map((l) => [l.key, l.value]));
    const manifest: DeploymentObject = {
      apiVersion: Api.apiVersion, kind: Api.claimKind,
      metadata: { name: input.name, namespace: input.namespace, ...(Object.keys(labels).length === 0 ? {} : { labels }) },
      spec: specOfInput(input),
    };
    try {
      const applied = await ctx.deps.kube.forToken(ctx.token).objects.patch(manifest, undefined, undefined, ctx.deps.fieldManager, false, PatchStrategy.ServerSideApply);
      return { deployment: viewOf(applied), errors: [] };
    } catch (err) {
      return { deployment: null, errors: fromKube(err, `apply deployment ${input.namespace}/${input.name}`) };
    }
  },

  async provideFeedback(_: unknown, args: { id: string; value: number; comment?: string | null }, ctx: Ctx) {
    const { namespace, name } = parseId(args.id);
    const errors: FieldError[] = [];
    if (args.value !== 1 && args.value !== -1) errors.push({ field: 'value', message: `must be 1 or -1, got ${args.value}` });
    if (args.comment != null && args.comment.length > 2000) errors.push({ field: 'comment', message: 'must be at most 2000 characters' });
    if (errors.length > 0) return { deployment: null, errors };
    const patch: KubernetesObject = {
      apiVersion: Api.apiVersion, kind: Api.claimKind,
      metadata: { name, namespace, annotations: { [Annotation.feedback]: args.value === 1 ? '+1' : '-1', [Annotation.feedbackComment]: args.comment ?? null } as Record<string, string> },
    };
    try {
      const patched = await ctx.deps.kube.forToken(ctx.token).objects.patch(patch, undefined, undefined, ctx.deps.fieldManager, undefined, PatchStrategy.MergePatch);
      return { deployment: viewOf(patched), errors: [] };
    } catch (err) {
      return { deployment: null, errors: fromKube(err, `annotate deployment ${args.id}`) };
    }
  },

  async deleteDeployment(_: unknown, { id }: { id: string }, ctx: Ctx) {
    const { namespace, name } = parseId(id);
    try {
      await ctx.deps.kube.forToken(ctx.token).objects.delete({ apiVersion: Api.apiVersion, kind: Api.claimKind, metadata: { name, namespace } });
      return { id, deleted: true, errors: [] };
    } catch (err) {
      return { id, deleted: false, errors: fromKube(err, `delete deployment ${id}`) };
    }
  },

  async previewDeployment(_: unknown, { input }: { input: DeploymentInput }, ctx: Ctx) {
    const errors = checkInput(input);
    if (errors.length > 0) return { decision: null, warnings: [], errors };
    const { previewer, cases, previewSlots, access } = ctx.deps;
    if (previewer === undefined) throw apiError('UNAVAILABLE', 'cannot preview: previews are turned off on this console');
    // A preview spends the console's time: only someone who may create the Deployment may ask for one.
    if (!(await access.can(ctx.token, 'create', DEPLOYMENTS, input.namespace))) {
      return { decision: null, warnings: [], errors: [{ field: 'namespace', message: `cannot create deployments.scia.io in namespace ${JSON.stringify(input.namespace)}: forbidden by RBAC` }] };
    }
    const release = previewSlots.tryAcquire();
    if (release === undefined) throw apiError('RATE_LIMITED', 'cannot preview now: too many previews are running; try again shortly');
    try {
      const result = await previewer.preview(specOfInput(input), input.namespace);
      if (result.decision === undefined) return { decision: null, warnings: result.warnings, errors: [{ field: '', message: result.fatal ?? 'no decision' }] };
      const d = result.decision;
      const cited = cases === undefined || d.citedCases.length === 0 ? [] : await cases.byIds(d.citedCases, input.namespace);
      return {
        warnings: result.warnings, errors: [],
        decision: {
          ...d, model: d.model ?? null, alternatives: d.alternativeStrategies, citedCases: cited,
          services: (result.analysis?.services ?? []).map((s) => s.kind), analysis: result.analysis ?? null,
        },
      };
    } finally {
      release();
    }
  },
};
