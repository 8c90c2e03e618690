import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, ContextKey, DeploymentSpec, parseAt, type ClaimSpec, type Decision, type OutcomeStatus, type Result } from '@scia/api';
import { keptFor, parseOutcome, parsePinned, pinnedFor, type PinnedDecision, type StatusReads } from '@scia/decider';
import { FieldMemo, freezeJson, readContextOnce, type JsonObject } from '@scia/runtime/step';
import { decisionOf, statusOf } from './pin.js';

/**
 * What a steady reconcile reads again and again (the claim, the analysis, the
 * pinned decision and its outcome) is read through memos: parsed once per
 * distinct value, whatever order its map entries come in, and the same frozen
 * object each time, so what is derived from it (hashes, the decision priced
 * for the spec) is computed once too (see @scia/decider's once.ts). A value
 * read before, or decoded by another codec, is parsed as it always was.
 */
const CLAIMS = new FieldMemo<Result<ClaimSpec>>();
const ANALYSES = new FieldMemo<Result<Analysis> | undefined>();
const PINNED = new FieldMemo<PinnedDecision | undefined>();
const OUTCOMES = new FieldMemo<OutcomeStatus | undefined>();
const DECISIONS = new WeakMap<PinnedDecision, WeakMap<object, Decision>>();

/** readClaim is parseAt(DeploymentSpec, xr.spec, 'spec'), through the memo. */
export function readClaim(xr: Record<string, unknown>): Result<ClaimSpec> {
  return CLAIMS.read(xr, 'spec', (spec) => parseAt(DeploymentSpec, spec, 'spec'));
}

/** readAnalysis is context `scia.io/analysis`, as readContext reads it, through the memo. */
export function readAnalysis(req: RunFunctionRequest, rsp: RunFunctionResponse): Analysis | undefined {
  return readContextOnce(ANALYSES, req, rsp, ContextKey.analysis, Analysis, 'deciding without it');
}

/** STATUS_READS reads status.outcome and status.deployment for redecision, through the memos. */
export const STATUS_READS: StatusReads = {
  outcome: (status) => OUTCOMES.read(status, 'outcome', parseOutcome),
  deployment: (status) => PINNED.read(status, 'deployment', parsePinned),
};

/**
 * pinnedFast is pinnedDecision(status, spec, claimHash) through the memos:
 * the decision pinned for this claim and the evidence it records, priced for
 * `spec`, the same frozen Decision while neither changes.
 */
export function pinnedFast(status: unknown, spec: DeploymentSpec, claimHash: string): Decision | undefined {
  if (typeof status !== 'object' || status === null) return undefined;
  const d = STATUS_READS.deployment(status as Record<string, unknown>);
  if (d === undefined || !pinnedFor(d, claimHash)) return undefined;
  return keptFor(DECISIONS, d, spec, () => decisionOf(d, spec));
}

/** Written is what the step writes for a decision: context `scia.io/decision` and the status fields. */
export interface Written {
  context: JsonObject;
  status: JsonObject;
}

const WRITTEN = new WeakMap<Decision, Written>();

/**
 * writtenFor is what the step writes for `decision`: for a frozen one (a
 * pinned decision read through the memos), made once and frozen as JSON, so
 * the response takes it without copying (see freezeJson); else afresh.
 */
export function writtenFor(decision: Decision): Written {
  if (!Object.isFrozen(decision)) return { context: decision, status: statusOf(decision) };
  let written = WRITTEN.get(decision);
  if (written === undefined) WRITTEN.set(decision, (written = { context: freezeJson(decision), status: freezeJson(statusOf(decision)) }));
  return written;
}
