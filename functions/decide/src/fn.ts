import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { ContextKey, Similar, errorText, resolveRegion, type Decision, type DeploymentSpec, type Result } from '@scia/api';
import { MODEL_NONE, casesDigest, checkBudget, decisionInputHashOnce, deploymentKey, parsePolicies, redecisionOf, reprice, resolvedOnce, withEvidence, type DecideInput, type DecideOutcome, type ModelDecider } from '@scia/decider';
import {
  desiredStatus,
  fatal,
  mergeDesiredStatus,
  normal,
  observedComposite,
  readContext,
  respond,
  setCondition,
  setContext,
  setTtl,
  warning,
  withinResult,
  type SingleFlight,
} from '@scia/runtime/step';
import type { CachedDecision, DecisionCache } from './cache.js';
import { pinnedDecision, statusOf } from './pin.js';
import { redecided, reportOutcome } from './redecide.js';
import { deploymentOf, pinnedFast, readAnalysis, readClaim, statusReads, writtenFor } from './steady.js';
import { enforceTeam, readTeam, type Team } from './team.js';

/** TTL_SECONDS: steady state, and while a decision (or the analysis it needs) is pending. */
export const TTL_SECONDS = { steady: 60, pending: 5 } as const;
/** MEMORY_RETRY_TTL_SECONDS is how soon a decision kept while the deployment memory is down is reconsidered. */
export const MEMORY_RETRY_TTL_SECONDS = 30;
/** MODEL_RETRY_TTL_SECONDS is how soon a decision kept while the model cannot answer a re-decision is reconsidered. */
export const MODEL_RETRY_TTL_SECONDS = 30;

export interface DecideDeps {
  /** decide makes a decision; the real one is @scia/decider's `decide`. */
  decide(input: DecideInput, model: ModelDecider | undefined): Promise<DecideOutcome>;
  /** modelFor picks the model for a request (its credentials, else configuration), or none. */
  modelFor(req: RunFunctionRequest): ModelDecider | undefined;
  cache: DecisionCache;
  /** pending runs one decision per input hash; one that outlives the call's budget is picked up later. */
  pending: SingleFlight;
  /** budgetMs is how long one call may wait for a decision before answering Deciding. */
  budgetMs: number;
}

/**
 * runFunction is the decide step: it reuses the decision pinned in the XR's
 * status while its input hash matches, else one kept by hash, else decides
 * within the call's budget (a slower decision goes on in the background and the
 * step answers Deciding). It writes context `scia.io/decision`, `status.deployment`
 * and `status.cost`.
 */
export async function runFunction(req: RunFunctionRequest, deps: DecideDeps): Promise<RunFunctionResponse> {
  const rsp = respond(req, TTL_SECONDS.steady);
  const xr = observedComposite(req) ?? {};
  // Where the memos look first for what this XR's last call read.
  const slot = deploymentOf(xr);
  const claim = readClaim(xr, slot);
  if (!claim.ok) return fatal(rsp, `cannot read the claim: ${unknownPolicy(xr['spec']) ?? claim.error}`, { reason: 'DecisionFailed' });
  const teamRead = readTeam(req, rsp, xr, claim.value);
  if (!teamRead.ok) return fatal(rsp, `cannot read the team's CloudProvider: ${teamRead.error}`, { reason: 'CloudProviderInvalid', claim: true });
  // Crossplane answers the requirements and calls again at once: nothing to decide before.
  if (teamRead.value === 'pending') return setTtl(rsp, TTL_SECONDS.pending);
  const team = teamRead.value;
  // The effective region, resolved once: every price and the decision's hash use it.
  const resolved = resolveRegion(claim.value, team?.cloudProvider.spec.defaultRegion);
  if (!resolved.ok) return fatal(rsp, `cannot read the claim: ${resolved.error}`, { reason: 'DecisionFailed' });
  const spec = resolvedOnce(claim.value, resolved.value);
  const analysis = readAnalysis(req, rsp, slot);
  if (analysis === undefined && desiredStatus(rsp)['phase'] === 'Analyzing') {
    return waiting(rsp, xr['status'], spec, 'the analysis');
  }
  const model = deps.modelFor(req);
  const commit = analysis?.commit ?? spec.repository.ref;
  const claimHash = decisionInputHashOnce(spec, commit, model?.model ?? MODEL_NONE);
  // The status is read through the memos, undecoded, until the pinned decision does not answer.
  const reads = statusReads(xr, slot);
  const again = redecisionOf(reads);
  const pinned = again.kind === 'redecide' ? undefined : pinnedFast(reads, spec, claimHash);
  if (pinned !== undefined) return reportOutcome(emit(rsp, pinned, [], spec, team), again);
  const observedStatus = xr['status'];
  const started = Date.now();
  const similar = readContext(req, rsp, ContextKey.similar, Similar, 'deciding without it');
  const cases = similar?.cases ?? [];
  const failures = again.kind === 'redecide' ? again.failures : [];
  const hash = withEvidence(claimHash, { cases: casesDigest(cases), failures });
  // This deployment's own decision for these inputs first: new records elsewhere must not decide it again.
  const own = deploymentKey(slot, claimHash, failures);
  const cached = await readCache(deps.cache, [own, hash], deps.budgetMs, rsp);
  if (cached !== undefined) return redecided(emit(rsp, reprice(cached.decision, spec), cached.warnings, spec, team), again, observedStatus);
  const kept = similar?.unavailable === undefined ? undefined : keepWhileMemoryDown(rsp, observedStatus, spec, similar.unavailable);
  if (kept !== undefined) return kept;
  const input: DecideInput = { spec: spec, analysis, cases, failures, inputHash: hash };
  // What is deployed and has not failed: a model outage must not move it (a failed one may move: its failure is evidence).
  const deployed = again.kind === 'redecide' ? undefined : pinnedDecision(observedStatus, spec)?.strategy;
  // The whole call keeps to one budget: what the cache read took is spent (a
  // decision that finished in the background is taken at once whatever is left).
  const raced = await deps.pending.attempt(own, () => decideAndKeep(input, model, deps, own, deployed), deps.budgetMs - (Date.now() - started));
  if (!raced.done) return waiting(rsp, observedStatus, spec, model === undefined ? 'the rules' : `model ${model.model}`);
  const outcome = raced.value;
  if (!outcome.ok) {
    for (const w of outcome.warnings) warning(rsp, w, { reason: 'DecisionDegraded', claim: true });
    return fatal(rsp, `cannot decide: spec.budget: ${outcome.error}`, { reason: 'DecisionFailed' });
  }
  if (model !== undefined && movedWithoutModel(outcome, deployed)) return keepWhileModelDown(rsp, observedStatus, spec, model, outcome.warnings);
  return redecided(emit(rsp, reprice(outcome.decision, spec), outcome.warnings, spec, team), again, observedStatus);
}

/**
 * movedWithoutModel tells whether the rules, standing in for a model that
 * could not answer, chose another strategy than the deployed one: applying it
 * would delete every resource the deployed decision composed.
 */
function movedWithoutModel(outcome: DecideOutcome, deployed: string | undefined): boolean {
  return outcome.ok && outcome.decision.decidedBy === 'rules' && deployed !== undefined && outcome.decision.strategy !== deployed;
}

/**
 * keepWhileModelDown answers when the model could not answer a re-decision
 * and the rules would move the deployment to another strategy: as for the
 * deployment memory, an outage of an optional dependency never changes what
 * is deployed. The deployed decision is kept (nothing is kept by hash, so the
 * model is asked again), the phase is Deciding and the step tries again
 * shortly. A first decision goes ahead with the rules.
 */
function keepWhileModelDown(rsp: RunFunctionResponse, observedStatus: unknown, spec: DeploymentSpec, model: ModelDecider, why: readonly string[]): RunFunctionResponse {
  warning(rsp, `keeping the deployed decision until model ${model.model} answers again: ${why.join('; ')}`, { reason: 'ModelUnavailable', claim: true });
  return setTtl(waiting(rsp, observedStatus, spec, `model ${model.model}`), MODEL_RETRY_TTL_SECONDS);
}

async function decideAndKeep(input: DecideInput, model: ModelDecider | undefined, deps: DecideDeps, own: string, deployed: string | undefined): Promise<DecideOutcome> {
  const outcome = await deps.decide(input, model);
  if (!outcome.ok) return outcome;
  // A stand-in the step will not apply is not kept: the next call asks the model again.
  if (model !== undefined && movedWithoutModel(outcome, deployed)) return outcome;
  const keep = async (): Promise<Result<CachedDecision | undefined>> => {
    try {
      const entry = { decision: outcome.decision, warnings: outcome.warnings };
      await Promise.all([deps.cache.put(input.inputHash, entry), deps.cache.put(own, entry)]);
      // Another replica may have kept its decision for these inputs first: converge on it.
      return { ok: true, value: await deps.cache.get(input.inputHash) };
    } catch (err) {
      return { ok: false, error: errorText(err) };
    }
  };
  // A cache that never answers must not hold a finished decision back.
  const kept = await withinResult(keep(), deps.budgetMs, 'the decision cache');
  if (!kept.ok) return { ...outcome, warnings: [...outcome.warnings, `cannot keep the decision by its input hash: ${kept.error}`] };
  return kept.value === undefined ? outcome : { ok: true, decision: kept.value.decision, warnings: kept.value.warnings };
}

function emit(rsp: RunFunctionResponse, decision: Decision, warnings: readonly string[], spec: DeploymentSpec, team: Team | undefined): RunFunctionResponse {
  const written = writtenFor(decision);
  setContext(rsp, ContextKey.decision, written.context);
  mergeDesiredStatus(rsp, written.status);
  for (const w of warnings) warning(rsp, w, { reason: 'DecisionDegraded', claim: true });
  const budget = checkBudget(decision.estimatedMonthlyCost, spec.budget);
  if (budget !== undefined) {
    if (budget.exceeded) warning(rsp, `cost over the budget's alert threshold: ${budget.message}`, { reason: 'BudgetExceeded', claim: true });
    setCondition(rsp, 'BudgetExceeded', budget.exceeded, budget.exceeded ? 'OverAlertThreshold' : 'WithinBudget', budget.message);
  }
  return enforceTeam(rsp, team, decision);
}

/**
 * waiting answers while a decision (or the analysis it needs) is pending: phase
 * Deciding (unless an earlier step reported its own pending phase), a short TTL,
 * and the previously pinned decision kept in context and status so later steps
 * keep rendering what is deployed.
 */
function waiting(rsp: RunFunctionResponse, observedStatus: unknown, spec: DeploymentSpec, what: string): RunFunctionResponse {
  setTtl(rsp, TTL_SECONDS.pending);
  const previous = pinnedDecision(observedStatus, spec);
  if (previous !== undefined) {
    setContext(rsp, ContextKey.decision, previous);
    mergeDesiredStatus(rsp, statusOf(previous));
  }
  if (desiredStatus(rsp)['phase'] === undefined) mergeDesiredStatus(rsp, { phase: 'Deciding' });
  normal(rsp, `deciding: waiting for ${what}`, { reason: 'Deciding', claim: true });
  return rsp;
}

/**
 * keepWhileMemoryDown answers when the deployment memory cannot be read and a
 * decision is already deployed: an outage of an optional dependency must not
 * change what is deployed (the rules would choose without evidence and
 * Crossplane would delete what the old decision composed), so the decision is
 * kept, the phase is Deciding, and the step tries again shortly. A first
 * decision goes ahead without the memory (returns undefined), and says so.
 */
function keepWhileMemoryDown(rsp: RunFunctionResponse, observedStatus: unknown, spec: DeploymentSpec, why: string): RunFunctionResponse | undefined {
  if (pinnedDecision(observedStatus, spec) === undefined) {
    warning(rsp, `deciding for the first time without the deployment memory, which cannot be read: ${why}`, { reason: 'MemoryUnavailable', claim: true });
    return undefined;
  }
  warning(rsp, `keeping the deployed decision until the deployment memory can be read again: ${why}`, { reason: 'MemoryUnavailable', claim: true });
  return setTtl(waiting(rsp, observedStatus, spec, 'the deployment memory'), MEMORY_RETRY_TTL_SECONDS);
}

/** readCache reads a decision kept by hash within the call's budget; a cache that fails or is slow is a Warning. */
async function readCache(cache: DecisionCache, keys: readonly string[], budgetMs: number, rsp: RunFunctionResponse): Promise<CachedDecision | undefined> {
  const read = (async (): Promise<Result<CachedDecision | undefined>> => {
    try {
      const hits = await Promise.all(keys.map((key) => cache.get(key)));
      return { ok: true, value: hits.find((h) => h !== undefined) };
    } catch (err) {
      return { ok: false, error: errorText(err) };
    }
  })();
  const got = await withinResult(read, budgetMs, 'the decision cache');
  if (got.ok) return got.value;
  warning(rsp, `cannot read the decision cache: ${got.error}`, { reason: 'DecisionCacheDown', claim: true });
  return undefined;
}

/** unknownPolicy names the first policy of a claim that SCIA does not know, so the Fatal says which. */
function unknownPolicy(spec: unknown): string | undefined {
  if (typeof spec !== 'object' || spec === null || !('policies' in spec) || !Array.isArray(spec.policies)) return undefined;
  const names = spec.policies.map((p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p)));
  const parsed = parsePolicies(names);
  return parsed.ok ? undefined : parsed.error;
}
