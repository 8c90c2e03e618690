import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, ContextKey, DeploymentSpec, parseAt, type ClaimSpec, type Result } from '@scia/api';
import { parseOutcome, parsePinned, type StatusReads } from '@scia/decider';
import { tenantOf, xrKeyOf } from '@scia/rag';
import { ContextMemo, FieldMemo, frozenCopy } from '@scia/runtime/step';

/**
 * What a steady reconcile reads again and again (the claim, the analysis, the
 * pinned decision and its outcome) is read through memos: parsed once per
 * distinct value, whatever order its map entries come in, and the same frozen
 * object each time, so the hashes derived from it are computed once too (see
 * @scia/decider's once.ts). A value read before, or decoded by another codec,
 * is parsed as it always was.
 */
const CLAIMS = new FieldMemo((spec) => frozenCopy(parseAt(DeploymentSpec, spec, 'spec')));
const ANALYSES = new ContextMemo(ContextKey.analysis, Analysis);
const PINNED = new FieldMemo((deployment) => frozenCopy(parsePinned(deployment)));
const OUTCOMES = new FieldMemo((outcome) => frozenCopy(parseOutcome(outcome)));
const UIDS = new FieldMemo((uid) => (typeof uid === 'string' ? uid : ''));
const NAMESPACES = new FieldMemo(frozenCopy);
const LABELS = new FieldMemo(frozenCopy);

/** Identity is who an XR is: its memo slot (xrKeyOf) and its tenant (tenantOf). */
export interface Identity {
  slot: string;
  tenant: Result<string>;
}

/**
 * identityOf is xrKeyOf(xr) and tenantOf(xr), which read only the XR's
 * metadata.uid, namespace and labels: each read through a memo from the bytes
 * of metadata no one has read, so a steady call decodes none of it.
 */
export function identityOf(xr: Record<string, unknown>): Identity {
  const uid = UIDS.at(xr, 'metadata', 'uid');
  const tenant = tenantOf({ metadata: { namespace: NAMESPACES.at(xr, 'metadata', 'namespace'), labels: LABELS.at(xr, 'metadata', 'labels') } });
  return { slot: uid !== '' ? uid : xrKeyOf(xr), tenant };
}

/** readClaim is parseAt(DeploymentSpec, xr.spec, 'spec'), through the memo; `slot` identifies the XR (see FieldMemo.atSlot). */
export function readClaim(xr: Record<string, unknown>, slot: string): Result<ClaimSpec> {
  return CLAIMS.atSlot(slot, xr, 'spec');
}

/** readAnalysis is context `scia.io/analysis`, as readContext reads it, through the memo. */
export function readAnalysis(req: RunFunctionRequest, rsp: RunFunctionResponse, slot: string): Analysis | undefined {
  return ANALYSES.read(req, rsp, 'retrieving without it', slot);
}

/**
 * statusReads reads the observed XR's status.outcome and status.deployment
 * through the memos, from the XR's bytes: the status itself is not decoded.
 */
export function statusReads(xr: Record<string, unknown>, slot: string): StatusReads {
  return { outcome: () => OUTCOMES.atSlot(slot, xr, 'status', 'outcome'), deployment: () => PINNED.atSlot(slot, xr, 'status', 'deployment') };
}
