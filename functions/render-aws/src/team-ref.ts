import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { ClaimSpec, JsonObject, Result } from '@scia/api';
import { requireCloudProvider, type TeamScope } from '@scia/runtime';
import type { Target } from './model.js';
import { teamProviderConfigRef } from './team.js';

/**
 * TeamRef is what the renderer takes from the claim's CloudProvider: the
 * platform's account (`aws`, the claim's providerConfigName), the team's
 * ProviderConfig reference, tags and default region, a requirement not answered yet, or a v1
 * CloudProvider whose ProviderConfig is not reported yet.
 */
export type TeamRef =
  | { kind: 'platform' }
  | { kind: 'team'; ref: JsonObject; tags: Record<string, string>; defaultRegion: string }
  | { kind: 'pending' }
  | { kind: 'unready'; why: string };

/**
 * readTeamRef asks Crossplane for the CloudProvider the claim names (a
 * required resource) in the XR's team `scope` (see teamScope) and reads its ProviderConfig reference and tags. A
 * missing or invalid CloudProvider is an error naming it.
 */
export function readTeamRef(req: RunFunctionRequest, rsp: RunFunctionResponse, spec: Pick<ClaimSpec, 'cloudProvider'>, target: Target, scope: TeamScope | undefined): Result<TeamRef> {
  if (scope === undefined) {
    return spec.cloudProvider === 'aws' ? { ok: true, value: { kind: 'platform' } } : { ok: false, error: `spec.cloudProvider: cannot find the namespace of CloudProvider ${spec.cloudProvider}` };
  }
  const cp = requireCloudProvider(req, rsp, scope, spec.cloudProvider);
  if (!cp.ok) return { ok: false, error: `spec.cloudProvider: ${cp.error}` };
  if (cp.value.state === 'pending') return { ok: true, value: { kind: 'pending' } };
  const found = cp.value.value;
  if (found === undefined) return { ok: true, value: { kind: 'platform' } };
  const ref = teamProviderConfigRef(target, found);
  if (ref === undefined) return { ok: true, value: { kind: 'unready', why: `CloudProvider ${found.namespace}/${found.name} reports no ProviderConfig yet (status.providerConfigName)` } };
  return { ok: true, value: { kind: 'team', ref, tags: found.spec.tags, defaultRegion: found.spec.defaultRegion } };
}
