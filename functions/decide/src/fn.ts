import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { z } from 'zod';
import { Analysis, ContextKey, DeploymentSpec, Similar, parseAt, type Decision } from '@scia/api';
import { MODEL_NONE, PROMPT_VERSION, casesDigest, checkBudget, deploymentKey, claimInputHash, parsePolicies, redecision, reprice, withEvidence, type DecideInput, type DecideOutcome, type ModelDecider } from '@scia/decider';
import {
  addResult,
  contextValue,
  desiredStatus,
  mergeDesiredStatus,
  observedComposite,
  respond,
  setCondition,
  setContext,
} from '@scia/runtime';
import type { CachedDecision, DecisionCache } from './cache.js';
import { within, type PendingWork } from './pending.js';
import { pinnedDecision, statusOf } from './pin.js';
import { redecided, reportOutcome } from './redecide.js';

/** TTL_SECONDS: steady state, and while a decision (or the analysis it needs) is pending. */
export const TTL_SECONDS = { steady: 60, pending: 5 } as const;

export interface DecideDeps {
  /** decide makes a decision; the real one is @scia/decider's `decide`. */
  decide(input: DecideInput, model: ModelDecider | undefined): Promise<DecideOutcome>;
  /** modelFor picks the model for a request (its credentials, else configuration), or none. */
  modelFor(req: RunFunctionRequest): ModelDecider | undefined;
  cache: DecisionCache;
  pending: PendingWork<DecideOutcome>;
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
  const spec = parseAt(DeploymentSpec, xr['spec'], 'spec');
  if (!spec.ok) return fatal(rsp, `cannot read the claim: ${unknownPolicy(xr['spec']) ?? spec.error}`);
  const observedStatus = xr['status'];
  const analysis = readContext(req, rsp, ContextKey.analysis, Analysis);
  if (analysis === undefined && desiredStatus(rsp)['phase'] === 'Analyzing') {
    return waiting(rsp, observedStatus, spec.value, 'the analysis');
  }
  const model = deps.modelFor(req);
  const commit = analysis?.commit ?? spec.value.repository.ref;
  const claimHash = claimInputHash(spec.value, commit, model?.model ?? MODEL_NONE, PROMPT_VERSION);
  const again = redecision(observedStatus);
  const pinned = again.kind === 'redecide' ? undefined : pinnedDecision(observedStatus, spec.value, claimHash);
  if (pinned !== undefined) return reportOutcome(emit(rsp, pinned, [], spec.value), again);
  const similar = readContext(req, rsp, ContextKey.similar, Similar);
  const cases = similar?.cases ?? [];
  const failures = again.kind === 'redecide' ? again.failures : [];
  const hash = withEvidence(claimHash, { cases: casesDigest(cases), failures });
  // This deployment's own decision for these inputs first: new records elsewhere must not decide it again.
  const own = deploymentKey(deploymentOf(xr), claimHash, failures);
  const cached = await readCache(deps.cache, [own, hash], rsp);
  if (cached !== undefined) return redecided(emit(rsp, reprice(cached.decision, spec.value), cached.warnings, spec.value), again, observedStatus);
  const input: DecideInput = { spec: spec.value, analysis, cases, failures, inputHash: hash };
  const job = deps.pending.run(own, () => decideAndKeep(input, model, deps, own));
  const raced = await within(job, deps.budgetMs);
  if (!raced.done) return waiting(rsp, observedStatus, spec.value, model === undefined ? 'the rules' : `model ${model.model}`);
  const outcome = raced.value;
  if (!outcome.ok) {
    for (const w of outcome.warnings) addResult(rsp, 'warning', w, 'DecisionDegraded');
    return fatal(rsp, outcome.error);
  }
  return redecided(emit(rsp, reprice(outcome.decision, spec.value), outcome.warnings, spec.value), again, observedStatus);
}

async function decideAndKeep(input: DecideInput, model: ModelDecider | undefined, deps: DecideDeps, own: string): Promise<DecideOutcome> {
  const outcome = await deps.decide(input, model);
  if (!outcome.ok) return outcome;
  try {
    await deps.cache.put(input.inputHash, { decision: outcome.decision, warnings: outcome.warnings });
    await deps.cache.put(own, { decision: outcome.decision, warnings: outcome.warnings });
    // Another replica may have kept its decision for these inputs first: converge on it.
    const kept = await deps.cache.get(input.inputHash);
    return kept === undefined ? outcome : { ok: true, decision: kept.decision, warnings: kept.warnings };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ...outcome, warnings: [...outcome.warnings, `cannot keep the decision by its input hash: ${why}`] };
  }
}

function emit(rsp: RunFunctionResponse, decision: Decision, warnings: readonly string[], spec: DeploymentSpec): RunFunctionResponse {
  setContext(rsp, ContextKey.decision, decision);
  mergeDesiredStatus(rsp, statusOf(decision));
  for (const w of warnings) addResult(rsp, 'warning', w, 'DecisionDegraded');
  const budget = checkBudget(decision.estimatedMonthlyCost, spec.budget);
  if (budget !== undefined) {
    if (budget.exceeded) addResult(rsp, 'warning', `cost over the budget's alert threshold: ${budget.message}`, 'BudgetExceeded');
    setCondition(rsp, 'BudgetExceeded', budget.exceeded, budget.exceeded ? 'OverAlertThreshold' : 'WithinBudget', budget.message);
  }
  return rsp;
}

/**
 * waiting answers while a decision (or the analysis it needs) is pending: phase
 * Deciding (unless an earlier step reported its own pending phase), a short TTL,
 * and the previously pinned decision kept in context and status so later steps
 * keep rendering what is deployed.
 */
function waiting(rsp: RunFunctionResponse, observedStatus: unknown, spec: DeploymentSpec, what: string): RunFunctionResponse {
  rsp.meta = { tag: rsp.meta?.tag ?? '', ttl: { seconds: TTL_SECONDS.pending, nanos: 0 } };
  const previous = pinnedDecision(observedStatus, spec);
  if (previous !== undefined) {
    setContext(rsp, ContextKey.decision, previous);
    mergeDesiredStatus(rsp, statusOf(previous));
  }
  if (desiredStatus(rsp)['phase'] === undefined) mergeDesiredStatus(rsp, { phase: 'Deciding' });
  addResult(rsp, 'normal', `deciding: waiting for ${what}`, 'Deciding');
  return rsp;
}

/** readContext reads an earlier step's context value; one that does not validate is a Warning and is ignored. */
function readContext<S extends z.ZodType>(req: RunFunctionRequest, rsp: RunFunctionResponse, key: string, schema: S): z.infer<S> | undefined {
  const value = contextValue(req, key);
  if (value === undefined || value === null) return undefined;
  const parsed = parseAt(schema, value, `context[${key}]`);
  if (parsed.ok) return parsed.value;
  addResult(rsp, 'warning', `cannot read ${parsed.error}; deciding without it`, 'ContextInvalid');
  return undefined;
}

/** readCache returns the first decision kept under one of `keys`; a cache that fails is one Warning and a miss. */
async function readCache(cache: DecisionCache, keys: readonly string[], rsp: RunFunctionResponse): Promise<CachedDecision | undefined> {
  try {
    for (const key of keys) {
      const hit = await cache.get(key);
      if (hit !== undefined) return hit;
    }
    return undefined;
  } catch (err) {
    addResult(rsp, 'warning', `cannot read the decision cache: ${err instanceof Error ? err.message : String(err)}`, 'DecisionCacheDown');
    return undefined;
  }
}

function fatal(rsp: RunFunctionResponse, message: string): RunFunctionResponse {
  addResult(rsp, 'fatal', message, 'DecisionFailed');
  return rsp;
}

/** deploymentOf identifies the XR across reconciles: its uid, else its namespace and name. */
function deploymentOf(xr: Record<string, unknown>): string {
  const meta = (typeof xr['metadata'] === 'object' && xr['metadata'] !== null ? xr['metadata'] : {}) as Record<string, unknown>;
  return typeof meta['uid'] === 'string' && meta['uid'] !== '' ? meta['uid'] : `${String(meta['namespace'] ?? '')}/${String(meta['name'] ?? '')}`;
}

/** unknownPolicy names the first policy of a claim that SCIA does not know, so the Fatal says which. */
function unknownPolicy(spec: unknown): string | undefined {
  if (typeof spec !== 'object' || spec === null || !('policies' in spec) || !Array.isArray(spec.policies)) return undefined;
  const names = spec.policies.map((p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p)));
  const parsed = parsePolicies(names);
  return parsed.ok ? undefined : parsed.error;
}
