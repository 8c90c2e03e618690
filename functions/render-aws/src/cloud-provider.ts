import { Ready, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { CloudProviderKind, CloudProviderSpec, canonicalJson, isObject, parseAt, type CloudProviderStatus } from '@scia/api';
import { teamTotals } from '@scia/decider';
import {
  fatal,
  mergeDesiredStatus,
  observedComposite,
  observedResources,
  requireTeamDeployments,
  setCondition,
  setDesiredResource,
  setTtl,
  teamScope,
  warning,
  type JsonObject,
  type TeamScope,
} from '@scia/runtime';

/** PROVIDER_CONFIG_KEY is the composition resource name of the team's ProviderConfig. */
export const PROVIDER_CONFIG_KEY = 'provider-config';

/** isCloudProvider tells whether the observed XR is a CloudProvider (v2 XR) or an XCloudProvider (v1 XR). */
export function isCloudProvider(req: RunFunctionRequest): boolean {
  const kind = observedComposite(req)?.['kind'];
  return kind === CloudProviderKind.kind || kind === CloudProviderKind.composite;
}

/**
 * renderCloudProvider composes a team's ProviderConfig from its CloudProvider
 * (namespaced `aws.m.upbound.io` for a v2 XR, beside it and named like it;
 * cluster-scoped `aws.upbound.io` named after a v1 XR) and reports the team's
 * spend and quota use over the namespace's Deployments (required resources),
 * as the decide step counts them. An invalid CloudProvider is a Fatal naming
 * the field.
 */
export function renderCloudProvider(req: RunFunctionRequest, rsp: RunFunctionResponse, ttlSeconds: { steady: number; wait: number }): RunFunctionResponse {
  const xr = observedComposite(req) ?? {};
  const spec = parseAt(CloudProviderSpec, xr['spec'], 'spec');
  if (!spec.ok) return fatal(rsp, `cannot compose the CloudProvider's ProviderConfig: ${spec.error}`, { reason: 'InvalidInput' });
  const found = teamScope(xr);
  if (found === undefined) return fatal(rsp, 'cannot compose the CloudProvider\'s ProviderConfig: metadata: a CloudProvider needs a namespace (or a claim namespace)', { reason: 'InvalidInput' });
  // The CloudProvider is no Deployment: none of the team's is left out.
  const scope: TeamScope = { ...found, self: '' };
  const deployments = requireTeamDeployments(req, rsp, scope);
  if (deployments.state === 'pending') return setTtl(rsp, ttlSeconds.wait);
  const given = isObject(xr['metadata']) ? xr['metadata']['name'] : undefined;
  const name = typeof given === 'string' ? given : '';
  const body = providerConfig(spec.value, scope, name);
  const observed = observedResources(req)[PROVIDER_CONFIG_KEY];
  setDesiredResource(rsp, PROVIDER_CONFIG_KEY, JSON.parse(canonicalJson(body)) as JsonObject, observed === undefined ? Ready.READY_FALSE : Ready.READY_TRUE);
  const { deployments: members, unreadable } = deployments.value;
  if (unreadable.length > 0) warning(rsp, `cannot read ${unreadable.length} of the team's Deployments (${unreadable.join(', ')}); not counted`, { reason: 'TeamUnreadable' });
  const totals = teamTotals(members);
  const status: CloudProviderStatus = {
    providerConfigName: name,
    estimatedMonthlySpend: totals.estimatedMonthly,
    quotaUse: totals.usage,
    deploymentsCounted: totals.counted.length,
    deployments: totals.counted,
  };
  const cc = spec.value.costControl;
  if (cc !== undefined) {
    status.budgetUsed = Math.round((totals.estimatedMonthly / cc.monthlyBudget) * 1000) / 1000;
    const over = totals.estimatedMonthly > cc.monthlyBudget * cc.alertThreshold;
    setCondition(rsp, 'TeamBudget', !over, over ? 'OverAlertThreshold' : 'WithinBudget', `$${totals.estimatedMonthly.toFixed(2)} of $${cc.monthlyBudget.toFixed(2)} a month over ${totals.counted.length} Deployments`);
  }
  mergeDesiredStatus(rsp, status);
  return setTtl(rsp, ttlSeconds.steady);
}

/** providerConfig is the provider-aws ProviderConfig of the team's credentials. */
function providerConfig(spec: CloudProviderSpec, scope: TeamScope, name: string): JsonObject {
  const c = spec.credentials;
  const credentials: JsonObject = { source: c.source };
  if (c.source === 'Secret' && c.secretRef !== undefined) {
    credentials['secretRef'] = { name: c.secretRef.name, namespace: scope.namespace, key: c.secretRef.key };
  }
  const pcSpec: JsonObject = { credentials };
  if (c.source !== 'Secret' && c.roleARN !== undefined) pcSpec['assumeRoleChain'] = [{ roleARN: c.roleARN }];
  const metadata: JsonObject = scope.namespaced ? { name, namespace: scope.namespace } : { name };
  metadata['labels'] = { 'scia.io/cloud-provider': name.slice(0, 63), 'scia.io/namespace': scope.namespace };
  return {
    apiVersion: scope.namespaced ? 'aws.m.upbound.io/v1beta1' : 'aws.upbound.io/v1beta1',
    kind: 'ProviderConfig',
    metadata,
    spec: pcSpec,
  };
}
