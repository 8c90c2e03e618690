import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { PLATFORM_CLOUD_PROVIDER, type ClaimSpec, type Decision, type JsonObject, type Result, type TeamMember } from '@scia/api';
import { checkTeam } from '@scia/decider';
import { creationOf, fatal, requireCloudProvider, requireTeamDeployments, setCondition, teamScope, warning, type TeamCloudProvider, type TeamScope } from '@scia/runtime/step';

/** Team is what the decide step knows of the Deployment's team: its CloudProvider and its other Deployments. */
export interface Team {
  scope: TeamScope;
  cloudProvider: TeamCloudProvider;
  others: TeamMember[];
  createdAt: string;
}

/**
 * readTeam asks Crossplane for the CloudProvider the claim names and the
 * team's other Deployments (required resources: nothing is read from the
 * cluster by the function). `pending` means
 * Crossplane has not answered yet and will call again at once; `undefined`
 * means the platform's own account (`aws`), with no team limits.
 */
export function readTeam(req: RunFunctionRequest, rsp: RunFunctionResponse, xr: JsonObject, spec: Pick<ClaimSpec, 'cloudProvider'>): Result<Team | 'pending' | undefined> {
  if (spec.cloudProvider === PLATFORM_CLOUD_PROVIDER) return { ok: true, value: undefined };
  const scope = teamScope(xr);
  if (scope === undefined) return { ok: false, error: `cannot find the namespace of CloudProvider ${spec.cloudProvider}: the XR has neither a namespace nor a claim namespace` };
  const cp = requireCloudProvider(req, rsp, scope, spec.cloudProvider);
  if (!cp.ok) return cp;
  // Asked for in the same response as the CloudProvider, so one more call answers both.
  const deployments = requireTeamDeployments(req, rsp, scope);
  if (cp.value.state === 'pending' || deployments.state === 'pending') return { ok: true, value: 'pending' };
  const cloudProvider = cp.value.value;
  if (cloudProvider === undefined) return { ok: true, value: undefined };
  const { deployments: others, unreadable } = deployments.value;
  if (unreadable.length > 0) {
    warning(rsp, `cannot read ${unreadable.length} of team ${scope.namespace}'s Deployments (${unreadable.join(', ')}); counted without an estimate`, { reason: 'TeamUnreadable', claim: true });
  }
  return { ok: true, value: { scope, cloudProvider, others, createdAt: creationOf(xr) } };
}

/**
 * enforceTeam checks a decision against the team's monthly budget and quotas
 * (see checkTeam): a hard limit broken is a Fatal naming the numbers, a soft
 * one a Warning; the condition TeamBudget says where the team stands.
 */
export function enforceTeam(rsp: RunFunctionResponse, team: Team | undefined, decision: Decision): RunFunctionResponse {
  if (team === undefined) return rsp;
  const { costControl, quotas } = team.cloudProvider.spec;
  if (costControl === undefined && quotas === undefined) return rsp;
  const self = { name: team.scope.self, createdAt: team.createdAt, estimatedMonthly: decision.estimatedMonthlyCost, strategy: decision.strategy, config: decision.config };
  const verdict = checkTeam(self, team.others, { costControl, quotas }, team.scope.namespace);
  for (const w of verdict.warnings) warning(rsp, w, { reason: 'TeamBudgetExceeded', claim: true });
  const summary = `team ${team.scope.namespace}: $${verdict.totals.estimatedMonthly.toFixed(2)}/month over ${verdict.totals.counted.length} Deployments`;
  const within = verdict.refusals.length === 0 && verdict.warnings.length === 0;
  setCondition(rsp, 'TeamBudget', within, within ? 'WithinTeamLimits' : 'OverTeamLimits', summary);
  if (verdict.refusals.length === 0) return rsp;
  return fatal(rsp, `cannot deploy within the team's limits: ${verdict.refusals.join('; ')}`, { reason: 'TeamLimitExceeded', claim: true });
}
