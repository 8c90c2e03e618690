import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, DeploymentSpec, DeploymentStatusDecision, isObject, type Cause, type DeploymentStatus, type OutcomeEvidence, type Result } from '@scia/api';
import { classifyText, feedbackConsumed, watchOutcome, type ObservedResource } from '@scia/decider';
import { deploymentNameOf, tenantOf, xrKeyOf, type DeploymentRecordInput, type RecordKey, type RecordResult } from '@scia/rag';
import { FieldMemo, freezeJson, mergeDesiredStatus, observedComposite, observedResources, respond, setTtl, warning, withinResult, type Clock } from '@scia/runtime';
import { feedbackAnnotations, readFeedback, type Feedback } from './feedback.js';
import type { Verdict } from './judge.js';
import type { SeenWrites } from './seen.js';
import { SteadyRecords } from './steady.js';

/** TTL_SECONDS is the steady-state TTL. */
export const TTL_SECONDS = 60;
/** RETRY_TTL_SECONDS is the TTL after a write the store did not take: Crossplane calls again soon, and the write is tried again. */
export const RETRY_TTL_SECONDS = 30;
/** DEFAULT_FAIL_AFTER_SECONDS: Ready or Synced False for this long is a failed deployment. */
export const DEFAULT_FAIL_AFTER_SECONDS = 900;

/** Recorder keeps outcomes and feedback (the real one is @scia/rag's store). */
export interface Recorder {
  record(input: DeploymentRecordInput): Promise<Result<RecordResult>>;
  setFeedback(key: RecordKey, feedback: number, comment: string | undefined, causes?: readonly string[]): Promise<Result<{ found: boolean; changed: boolean }>>;
}

/** SHARE_LABEL on a claim (or its XR) set to "true" shares its anonymised outcomes with other teams. */
export const SHARE_LABEL = 'scia.io/share-knowledge';

export interface RecordDeps {
  recorder: Recorder;
  clock: Clock;
  /** budgetMs is how long one call waits for the store. */
  budgetMs: number;
  failAfterSeconds: number;
  seen: SeenWrites;
  /** steady keeps the last lasting answer per XR, for calls whose inputs are the same (none: each call judges afresh). */
  steady?: SteadyRecords;
  /** shareNamespaces are the tenants that opted in to share their anonymised outcomes (none by default). */
  shareNamespaces?: ReadonlySet<string>;
}

/**
 * runFunction is the record step. It judges the pinned decision (see the
 * decider's watchOutcome) and reports the judgment in `status.outcome`, which
 * the decide step reads to decide again after a failure. Once the outcome is
 * known it upserts it (once: later reconciles find it recorded) with its
 * structured evidence and causes; it applies the team's `scia.io/feedback`
 * annotations to the row, once per change, unless an earlier decision of
 * this deployment already answered that thumbs-down. A store that fails (or
 * is still opening) is a Warning with a short TTL, and the write is tried on
 * the next call: recording never stops the pipeline, nor loses an outcome.
 * A steady call, whose inputs are those of the last lasting answer for its
 * XR (see SteadyRecords), sets that answer's `status.outcome` again without
 * judging, while the memory of writes still holds its write.
 */
export async function runFunction(req: RunFunctionRequest, deps: RecordDeps): Promise<RunFunctionResponse> {
  const rsp = respond(req, TTL_SECONDS);
  const xr = observedComposite(req) ?? {};
  const tenant = tenantOf(xr);
  if (!tenant.ok) return warning(rsp, `cannot record anything for this XR: ${tenant.error}`, { reason: 'TenantMismatch', claim: true });
  const annotations = feedbackAnnotations(xr);
  const feedback = readFeedback(xr, annotations);
  for (const w of feedback.warnings) warning(rsp, w, { reason: 'InvalidFeedback', claim: true });
  // Read before status is: its fields' bytes are compared with the last lasting answer's.
  const inputs = deps.steady === undefined ? undefined : SteadyRecords.inputs(xr, xrKeyOf(xr), tenant.value, annotations);
  const kept = inputs === undefined ? undefined : deps.steady?.answer(inputs, deps.seen);
  if (kept !== undefined) {
    mergeDesiredStatus(rsp, { outcome: kept });
    return rsp;
  }
  const status = isObject(xr['status']) ? xr['status'] : {};
  const decision = PINNED.at(status, 'deployment');
  if (decision === undefined) return rsp;
  const key = { xrUid: xrKeyOf(xr), decisionHash: decision.inputHash };
  // What the judgment reads of the clock and of the composed resources: an answer that read neither holds for as long as its inputs are the same.
  const reads = { now: false, resources: false };
  const watched = watchOutcome({ xr, resources: resourcesOf(req, reads), now: watchedNow(deps.clock.now(), reads), failAfterSeconds: deps.failAfterSeconds, decision });
  if (watched !== undefined) mergeDesiredStatus(rsp, { outcome: watched.status });
  const judged = watched?.judged;
  const verdict: Verdict = judged === undefined ? undefined : { outcome: judged.outcome, ...(judged.reason === undefined ? {} : { reason: judged.reason }) };
  const own = feedbackConsumed(status, feedback) ? { ...feedback, value: undefined, comment: undefined } : feedback;
  const found = (j: NonNullable<typeof judged>): Found => ({ causes: [...new Set([...j.evidence.causes, ...(own.value === -1 ? classifyText(own.comment) : [])])], evidence: j.evidence });
  const write = verdict === undefined || judged === undefined
    ? feedbackWrite(key, own, deps)
    : outcomeWrite(xr, tenant.value, status, decision, verdict, own, deps, found(judged));
  const lasting = inputs !== undefined && watched !== undefined && !reads.now && !reads.resources;
  if (inputs !== undefined) deps.steady?.forget(inputs.xr);
  if (write === undefined || deps.seen.has(write.id)) {
    if (lasting) deps.steady?.keep(inputs, watched.status, write?.id);
    return rsp;
  }
  const done = await withinResult(write.run(), deps.budgetMs, 'the store');
  if (!done.ok) {
    warning(rsp, `cannot record the outcome of ${deploymentNameOf(xr)}: ${done.error}`, { reason: 'RecordDegraded', claim: true });
    return setTtl(rsp, RETRY_TTL_SECONDS);
  }
  if (done.value) deps.seen.add(write.id);
  if (done.value && lasting) deps.steady?.keep(inputs, watched.status, write.id);
  return rsp;
}

/** watchedNow is `now`, noting in `reads` any use of it. */
function watchedNow(now: Date, reads: { now: boolean }): Date {
  return new Proxy(now, {
    get(target, key) {
      reads.now = true;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * PINNED reads the decision pinned in status.deployment once per content
 * (FieldMemo): a steady call finds the same one every time. Frozen, as it is
 * shared by the calls that find it.
 */
const PINNED = new FieldMemo((value: unknown): Decision | undefined => {
  const parsed = DeploymentStatusDecision.safeParse(value);
  return parsed.success ? (freezeJson(parsed.data) as Decision) : undefined;
});

/**
 * resourcesOf lists the observed composed resources with their composition
 * names, reading them only when iterated (noted in `reads`): judging a Ready
 * deployment reads none of them.
 */
function resourcesOf(req: RunFunctionRequest, reads: { resources: boolean }): Iterable<ObservedResource> {
  return {
    *[Symbol.iterator]() {
      reads.resources = true;
      for (const [name, r] of Object.entries(observedResources(req))) yield { name, kind: typeof r['kind'] === 'string' ? r['kind'] : undefined, status: r['status'] };
    },
  };
}

/** Decision is the pinned decision, read. */
type Decision = NonNullable<DeploymentStatus['deployment']>;

/** Write is one store call, with an id naming exactly what it writes. */
interface Write {
  id: string;
  /** run resolves true when the store holds what was written (false: try again later). */
  run(): Promise<Result<boolean>>;
}

/**
 * outcomeWrite names the outcome's row by what its id needs alone (the XR's
 * key, the decision's hash, the verdict, the cost, the feedback, the causes),
 * and reads the analysis and the spec only when that row is written: a
 * steady reconcile that finds its write already made decodes neither.
 */
function outcomeWrite(
  xr: Record<string, unknown>, tenant: string, status: Record<string, unknown>, decision: Decision,
  verdict: NonNullable<Verdict>, feedback: Feedback, deps: RecordDeps, found: Found,
): Write {
  const id = JSON.stringify(['outcome', xrKeyOf(xr), decision.inputHash, verdict.outcome, failureReasonOf(verdict), costOf(status), feedback.value ?? 0, feedback.comment, [...found.causes]]);
  return {
    id,
    run: async () => {
      const shared = deps.shareNamespaces?.has(tenant) === true || labelOf(xr, SHARE_LABEL) === 'true';
      const r = await deps.recorder.record(rowOf(xr, tenant, status, decision, verdict, feedback, { ...found, shared }));
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
      const r = await deps.recorder.setFeedback(key, value, feedback.comment, value === -1 ? classifyText(feedback.comment) : []);
      // Feedback on a deployment not recorded yet rides along with its outcome later.
      return r.ok ? { ok: true, value: r.value.found } : r;
    },
  };
}

/** Found is what the outcome's evidence says, and whether the row is shared with other teams. */
export interface Found {
  causes: readonly Cause[];
  evidence?: OutcomeEvidence | undefined;
  shared?: boolean;
}

function labelOf(xr: Record<string, unknown>, name: string): unknown {
  const meta = xr['metadata'];
  const labels = typeof meta === 'object' && meta !== null && 'labels' in meta && typeof meta.labels === 'object' && meta.labels !== null ? (meta.labels as Record<string, unknown>) : {};
  return labels[name];
}

/**
 * recordOf is the row for an observed XR's outcome, from its pinned analysis,
 * decision and cost, with the causes and evidence found. A shared row keeps
 * no repository URL, commit or prompt (its intent tags stand for the prompt).
 */
export function recordOf(xr: Record<string, unknown>, tenant: string, status: Record<string, unknown>, verdict: NonNullable<Verdict>, feedback: Feedback, found: Found = { causes: [] }): DeploymentRecordInput | undefined {
  const decision = DeploymentStatusDecision.safeParse(status['deployment']);
  return decision.success ? rowOf(xr, tenant, status, decision.data, verdict, feedback, found) : undefined;
}

/** failureReasonOf is the verdict's reason, when it gives one. */
function failureReasonOf(verdict: NonNullable<Verdict>): string | undefined {
  return verdict.reason === undefined || verdict.reason === '' ? undefined : verdict.reason;
}

/** COST reads status.cost.estimatedMonthly from its own bytes (FieldMemo), not decoding the rest of status.cost on every call. */
const COST = new FieldMemo((cost: unknown): number | undefined => (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : undefined));

/** costOf is the XR's estimated monthly cost when it is a finite, non-negative number. */
function costOf(status: Record<string, unknown>): number | undefined {
  return COST.at(status, 'cost', 'estimatedMonthly');
}

/** rowOf is recordOf for a decision already read. */
function rowOf(xr: Record<string, unknown>, tenant: string, status: Record<string, unknown>, d: Decision, verdict: NonNullable<Verdict>, feedback: Feedback, found: Found): DeploymentRecordInput {
  const analysis = Analysis.safeParse(status['analysis']);
  const a = analysis.success ? analysis.data : undefined;
  const spec = DeploymentSpec.safeParse(xr['spec']);
  const s = spec.success ? spec.data : undefined;
  const cost = costOf(status);
  const failureReason = failureReasonOf(verdict);
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
    ...(failureReason === undefined ? {} : { failureReason }),
    ...(cost === undefined ? {} : { costMonthly: cost }),
    feedback: feedback.value ?? 0,
    ...(feedback.comment === undefined ? {} : { feedbackComment: feedback.comment }),
    causes: [...found.causes],
    ...(found.evidence === undefined ? {} : { evidence: found.evidence }),
    shared: found.shared === true,
    metadata: { source: 'record', decidedBy: d.decidedBy, ...(a === undefined || found.shared === true ? {} : { commit: a.commit, url: a.url }) },
  };
}
