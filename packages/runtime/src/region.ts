import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { PLATFORM_CLOUD_PROVIDER, resolveRegion, type ClaimSpec, type DeploymentSpec, type JsonObject, type Result } from '@scia/api';
import { requireCloudProvider, teamScope, type Required } from './team.js';

/**
 * requireRegion is the claim's spec with its effective region: `spec.region`
 * when the claim sets it (no CloudProvider is asked for), else the
 * defaultRegion of the CloudProvider it names, read through Crossplane's
 * required resources (`pending` until Crossplane answers). A claim on the
 * platform's account without a region, or a missing or invalid CloudProvider,
 * is an error naming the field.
 */
export function requireRegion(req: RunFunctionRequest, rsp: RunFunctionResponse, xr: JsonObject | undefined, spec: ClaimSpec): Result<Required<DeploymentSpec>> {
  if (spec.region !== undefined || spec.cloudProvider === PLATFORM_CLOUD_PROVIDER) return resolved(resolveRegion(spec, undefined));
  const scope = teamScope(xr);
  if (scope === undefined) return { ok: false, error: `spec.cloudProvider: cannot find the namespace of CloudProvider ${spec.cloudProvider}` };
  const cp = requireCloudProvider(req, rsp, scope, spec.cloudProvider);
  if (!cp.ok) return { ok: false, error: `spec.cloudProvider: ${cp.error}` };
  if (cp.value.state === 'pending') return { ok: true, value: { state: 'pending' } };
  return resolved(resolveRegion(spec, cp.value.value?.spec.defaultRegion));
}

function resolved(r: Result<DeploymentSpec>): Result<Required<DeploymentSpec>> {
  return r.ok ? { ok: true, value: { state: 'resolved', value: r.value } } : r;
}
