import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, ContextKey, DeploymentSpec, parseAt, type ClaimSpec, type OutcomeStatus, type Result } from '@scia/api';
import { parseOutcome, parsePinned, type PinnedDecision, type StatusReads } from '@scia/decider';
import { FieldMemo, readContextOnce } from '@scia/runtime/step';

/**
 * What a steady reconcile reads again and again (the claim, the analysis, the
 * pinned decision and its outcome) is read through memos: parsed once per
 * distinct value, whatever order its map entries come in, and the same frozen
 * object each time, so the hashes derived from it are computed once too (see
 * @scia/decider's once.ts). A value read before, or decoded by another codec,
 * is parsed as it always was.
 */
const CLAIMS = new FieldMemo<Result<ClaimSpec>>();
const ANALYSES = new FieldMemo<Result<Analysis> | undefined>();
const PINNED = new FieldMemo<PinnedDecision | undefined>();
const OUTCOMES = new FieldMemo<OutcomeStatus | undefined>();

/** readClaim is parseAt(DeploymentSpec, xr.spec, 'spec'), through the memo. */
export function readClaim(xr: Record<string, unknown>): Result<ClaimSpec> {
  return CLAIMS.read(xr, 'spec', (spec) => parseAt(DeploymentSpec, spec, 'spec'));
}

/** readAnalysis is context `scia.io/analysis`, as readContext reads it, through the memo. */
export function readAnalysis(req: RunFunctionRequest, rsp: RunFunctionResponse): Analysis | undefined {
  return readContextOnce(ANALYSES, req, rsp, ContextKey.analysis, Analysis, 'retrieving without it');
}

/** STATUS_READS reads status.outcome and status.deployment, through the memos. */
export const STATUS_READS: StatusReads = {
  outcome: (status) => OUTCOMES.read(status, 'outcome', parseOutcome),
  deployment: (status) => PINNED.read(status, 'deployment', parsePinned),
};
