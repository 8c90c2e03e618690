import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, DeploymentSpec, DeploymentStatusDecision, isObject, type DeploymentStatus, type Result } from '@scia/api';
import { deploymentNameOf, tenantOf, xrKeyOf, type DeploymentRecordInput, type RecordKey, type RecordResult } from '@scia/rag';
import { observedComposite, respond, warning, withinResult, type Clock } from '@scia/runtime';
import { readFeedback, type Feedback } from './feedback.js';
import { judge, type Verdict } from './judge.js';
import type { SeenWrites } from './seen.js';

/** TTL_SECONDS is the steady-state TTL. */
export const TTL_SECONDS = 60;
/** DEFAULT_FAIL_AFTER_SECONDS: Ready or Synced False for this long is a failed deployment. */
export const DEFAULT_FAIL_AFTER_SECONDS = 900;

/** Recorder keeps outcomes and feedback (the real one is @scia/rag's store). */
export interface Recorder {
  record(input: DeploymentRecordInput): Promise<Result<RecordResult>>;
  setFeedback(key: RecordKey, feedback: number, comment: string | undefined): Promise<Result<{ found: boolean; changed: boolean }>>;
}

export interface RecordDeps {
  recorder: Recorder;
  clock: Clock;
  /** budgetMs is how long one call waits for the store. */
  budgetMs: number;
  failAfterSeconds: number;
  seen: SeenWrites;
}

/**
 * runFunction is the record step. Once the observed XR is Ready under a pinned
 * decision it upserts the outcome (once: later reconciles find it recorded);
 * when Ready or Synced stays False past the threshold it records a failure with
 * the reason. It applies the team's `scia.io/feedback` annotations to the row,
 * once per change. It changes nothing in desired state, and a store that fails
 * is a Warning: recording never stops the pipeline.
 */
export async function runFunction(req: RunFunctionRequest, deps: RecordDeps): Promise<RunFunctionResponse> {
  const rsp = respond(req, TTL_SECONDS);
  const xr = observedComposite(req) ?? {};
  const status = isObject(xr['status']) ? xr['status'] : {};
  const decision = DeploymentStatusDecision.safeParse(status['deployment']);
  const tenant = tenantOf(xr);
  if (!tenant.ok) return warning(rsp, `cannot record anything for this XR: ${tenant.error}`, { reason: 'TenantMismatch', claim: true });
  const feedback = readFeedback(xr);
  for (const w of feedback.warnings) warning(rsp, w, { reason: 'InvalidFeedback', claim: true });
  if (!decision.success) return rsp;
  const key = { xrUid: xrKeyOf(xr), decisionHash: decision.data.inputHash };
  const verdict = judge(status, deps.clock.now(), deps.failAfterSeconds);
  const write = verdict === undefined ? feedbackWrite(key, feedback, deps) : outcomeWrite(xr, tenant.value, status, verdict, feedback, deps);
  if (write === undefined || deps.seen.has(write.id)) return rsp;
  const done = await withinResult(write.run(), deps.budgetMs, 'the store');
  if (!done.ok) warning(rsp, `cannot record the outcome of ${deploymentNameOf(xr)}: ${done.error}`, { reason: 'RecordDegraded', claim: true });
  else if (done.value) deps.seen.add(write.id);
  return rsp;
}

/** Write is one store call, with an id naming exactly what it writes. */
interface Write {
  id: string;
  /** run resolves true when the store holds what was written (false: try again later). */
  run(): Promise<Result<boolean>>;
}

function outcomeWrite(xr: Record<string, unknown>, tenant: string, status: Record<string, unknown>, verdict: NonNullable<Verdict>, feedback: Feedback, deps: RecordDeps): Write | undefined {
  const input = recordOf(xr, tenant, status, verdict, feedback);
  if (input === undefined) return undefined;
  return {
    id: JSON.stringify(['outcome', input.xrUid, input.decisionHash, input.outcome, input.failureReason, input.costMonthly, input.feedback, input.feedbackComment]),
    run: async () => {
      const r = await deps.recorder.record(input);
      return r.ok ? { ok: true, value: true } : r;
    },
  };
}

function feedbackWrite(key: RecordKey, feedback: Feedback, deps: RecordDeps): Write | undefined {
  if (feedback.value === undefined && feedback.comment === undefined) return undefined;
  const value = feedback.value ?? 0;
  return {
    id: JSON.stringify(['feedback', key.xrUid, key.decisionHash, value, feedback.comment]),
    run: async () => {
      const r = await deps.recorder.setFeedback(key, value, feedback.comment);
      // Feedback on a deployment not recorded yet rides along with its outcome later.
      return r.ok ? { ok: true, value: r.value.found } : r;
    },
  };
}

/** recordOf is the row for an observed XR's outcome, from its pinned analysis, decision and cost. */
export function recordOf(xr: Record<string, unknown>, tenant: string, status: Record<string, unknown>, verdict: NonNullable<Verdict>, feedback: Feedback): DeploymentRecordInput | undefined {
  const decision = DeploymentStatusDecision.safeParse(status['deployment']);
  if (!decision.success) return undefined;
  const d = decision.data;
  const analysis = Analysis.safeParse(status['analysis']);
  const a = analysis.success ? analysis.data : undefined;
  const spec = DeploymentSpec.safeParse(xr['spec']);
  const s = spec.success ? spec.data : undefined;
  const cost = (status['cost'] as DeploymentStatus['cost'] | undefined)?.estimatedMonthly;
  const budget = s?.budget?.maxMonthlyCost;
  return {
    xrUid: xrKeyOf(xr),
    decisionHash: d.inputHash,
    name: deploymentNameOf(xr),
    namespace: tenant,
    app: {
      language: a?.language ?? 'unknown',
      framework: a?.framework ?? 'unknown',
      ...(a === undefined ? {} : { kind: a.kind, dockerfile: a.dockerfile !== undefined }),
      services: (a?.services ?? []).map((x) => x.kind),
      dependencies: (a?.dependencies ?? []).filter((x) => !x.dev).map((x) => x.name).slice(0, 100),
      prompt: s?.prompt ?? '',
      ...(s === undefined ? {} : { region: s.region }),
      ...(budget === undefined ? {} : { budgetMonthly: budget }),
    },
    strategy: d.strategy,
    config: d.config ?? {},
    outcome: verdict.outcome,
    ...(verdict.reason === undefined || verdict.reason === '' ? {} : { failureReason: verdict.reason }),
    ...(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { costMonthly: cost } : {}),
    feedback: feedback.value ?? 0,
    ...(feedback.comment === undefined ? {} : { feedbackComment: feedback.comment }),
    metadata: { source: 'record', decidedBy: d.decidedBy, ...(a === undefined ? {} : { commit: a.commit, url: a.url }) },
  };
}
