import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { z } from 'zod';
import { getRequiredResource, requireResource } from './protocol.js';
import {
  Api,
  CloudProviderKind,
  CloudProviderSpec,
  DeploymentConfig,
  PLATFORM_CLOUD_PROVIDER,
  RequiredName,
  Strategy,
  isObject,
  parseAt,
  type JsonObject,
  type Result,
  type TeamMember,
} from '@scia/api';

/**
 * TeamScope is where a Deployment's team lives: the claim's namespace (a v1
 * XR's `crossplane.io/claim-namespace` label, else the XR's own namespace),
 * and whether the XR itself is namespaced (a v2 XR) or cluster-scoped (v1).
 */
export interface TeamScope {
  namespace: string;
  namespaced: boolean;
  /** self is the XR's name, left out of the team's other Deployments. */
  self: string;
}

const Meta = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  creationTimestamp: z.string().optional(),
});

/** teamScope reads the scope of an observed XR; an XR with neither a namespace nor a claim namespace has no team. */
export function teamScope(xr: JsonObject | undefined): TeamScope | undefined {
  const meta = Meta.safeParse(xr?.['metadata']);
  if (!meta.success) return undefined;
  const namespace = meta.data.labels?.['crossplane.io/claim-namespace'] ?? meta.data.namespace;
  return namespace === undefined ? undefined : { namespace, namespaced: meta.data.namespace !== undefined, self: meta.data.name };
}

/** TeamCloudProvider is the CloudProvider a Deployment names, validated. */
export interface TeamCloudProvider {
  name: string;
  namespace: string;
  spec: CloudProviderSpec;
  /** providerConfigName is the ProviderConfig its composition reports (v1), if any yet. */
  providerConfigName?: string;
}

/** Required is a required resource as a step sees it: not asked for yet, or what Crossplane answered. */
export type Required<T> = { state: 'pending' } | { state: 'resolved'; value: T };

/**
 * requireCloudProvider asks Crossplane for the CloudProvider `name` in the
 * team's namespace and reads it once it is answered: the platform's own
 * (`aws`) needs none (value undefined); a CloudProvider that does not exist or
 * does not validate is an error naming it.
 */
export function requireCloudProvider(
  req: RunFunctionRequest,
  rsp: RunFunctionResponse,
  scope: TeamScope,
  name: string,
): Result<Required<TeamCloudProvider | undefined>> {
  if (name === PLATFORM_CLOUD_PROVIDER) return { ok: true, value: { state: 'resolved', value: undefined } };
  requireResource(rsp, RequiredName.cloudProvider, { apiVersion: Api.apiVersion, kind: CloudProviderKind.kind, matchName: name, namespace: scope.namespace });
  const [items, resolved] = getRequiredResource(req, RequiredName.cloudProvider);
  if (!resolved) return { ok: true, value: { state: 'pending' } };
  const found = items[0]?.resource;
  const where = `CloudProvider ${scope.namespace}/${name}`;
  if (found === undefined) {
    return { ok: false, error: `${where} (spec.cloudProvider) does not exist; create it, or set spec.cloudProvider to ${PLATFORM_CLOUD_PROVIDER} for the platform's account` };
  }
  const spec = parseAt(CloudProviderSpec, found['spec'], 'spec');
  if (!spec.ok) return { ok: false, error: `${where} is invalid: ${spec.error}` };
  const status = isObject(found['status']) ? found['status'] : {};
  const pc = status['providerConfigName'];
  const value: TeamCloudProvider = { name, namespace: scope.namespace, spec: spec.value, ...(typeof pc === 'string' && pc !== '' ? { providerConfigName: pc } : {}) };
  return { ok: true, value: { state: 'resolved', value } };
}

/** TeamDeployment is one Deployment of the team as counted. */
export type TeamDeployment = TeamMember;

const Counted = z.object({
  metadata: Meta,
  status: z
    .object({
      cost: z.object({ estimatedMonthly: z.number().nonnegative() }).partial().optional(),
      deployment: z.object({ strategy: Strategy, config: DeploymentConfig.optional() }).partial().optional(),
    })
    .optional(),
});

/**
 * requireTeamDeployments asks Crossplane for every Deployment of the team: a
 * v2 XR's namespace (all of them), or the v1 XRs labelled with the claim's
 * namespace. The XR itself is left out; a Deployment whose status cannot be
 * read is counted without an estimate and named in `unreadable`.
 */
export function requireTeamDeployments(
  req: RunFunctionRequest,
  rsp: RunFunctionResponse,
  scope: TeamScope,
): Required<{ deployments: TeamDeployment[]; unreadable: string[] }> {
  requireResource(
    rsp,
    RequiredName.teamDeployments,
    scope.namespaced
      ? { apiVersion: Api.apiVersion, kind: Api.claimKind, namespace: scope.namespace, matchLabels: { labels: {} } }
      : { apiVersion: Api.apiVersion, kind: Api.compositeKind, matchLabels: { labels: { 'crossplane.io/claim-namespace': scope.namespace } } },
  );
  const [items, resolved] = getRequiredResource(req, RequiredName.teamDeployments);
  if (!resolved) return { state: 'pending' };
  return { state: 'resolved', value: readDeployments(items.flatMap((i) => (i.resource === undefined ? [] : [i.resource])), scope) };
}

/** readDeployments reads the team's Deployments as counted, leaving out the XR itself. */
export function readDeployments(resources: readonly JsonObject[], scope: TeamScope): { deployments: TeamDeployment[]; unreadable: string[] } {
  const deployments: TeamDeployment[] = [];
  const unreadable: string[] = [];
  for (const r of resources) {
    const parsed = Counted.safeParse(r);
    const meta = isObject(r['metadata']) ? r['metadata'] : {};
    const rawName = typeof meta['name'] === 'string' ? meta['name'] : '';
    if (rawName === scope.self) continue;
    if (!parsed.success) {
      unreadable.push(rawName === '' ? '(unnamed)' : rawName);
      continue;
    }
    const { metadata, status } = parsed.data;
    if (metadata.namespace !== undefined && metadata.namespace !== scope.namespace) continue;
    const d: TeamDeployment = { name: metadata.name, createdAt: metadata.creationTimestamp ?? '' };
    if (status?.cost?.estimatedMonthly !== undefined) d.estimatedMonthly = status.cost.estimatedMonthly;
    if (status?.deployment?.strategy !== undefined) d.strategy = status.deployment.strategy;
    if (status?.deployment?.config !== undefined) d.config = status.deployment.config;
    deployments.push(d);
  }
  deployments.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { deployments, unreadable };
}

/** creationOf is the XR's creationTimestamp, '' when it has none (a claim not yet stored is the newest). */
export function creationOf(xr: JsonObject | undefined): string {
  const meta = Meta.safeParse(xr?.['metadata']);
  return meta.success ? (meta.data.creationTimestamp ?? '') : '';
}
