import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, ContextKey, DeploymentSpec, parseAt, type ClaimSpec, type Decision, type Result } from '@scia/api';
import { keptFor, parseOutcome, parsePinned, pinnedFor, type PinnedDecision, type StatusReads } from '@scia/decider';
import { ContextMemo, FieldMemo, freezeJson, frozenCopy, type JsonObject } from '@scia/runtime/step';
import { decisionOf, statusOf } from './pin.js';

/**
 * What a steady reconcile reads again and again (the claim, the analysis, the
 * pinned decision and its outcome) is read through memos: parsed once per
 * distinct value, whatever order its map entries come in, and the same frozen
 * object each time, so what is derived from it (hashes, the decision priced
 * for the spec) is computed once too (see @scia/decider's once.ts). A value
 * read before, or decoded by another codec, is parsed as it always was.
 */
const CLAIMS = new FieldMemo((spec) => frozenCopy(parseAt(DeploymentSpec, spec, 'spec')));
const ANALYSES = new ContextMemo(ContextKey.analysis, Analysis);
const PINNED = new FieldMemo((deployment) => frozenCopy(parsePinned(deployment)));
const OUTCOMES = new FieldMemo((outcome) => frozenCopy(parseOutcome(outcome)));
const DECISIONS = new WeakMap<PinnedDecision, WeakMap<object, Decision>>();
const UIDS = new FieldMemo((uid) => (typeof uid === 'string' ? uid : ''));

/**
 * deploymentOf identifies the XR across reconciles: its uid (read from the
 * bytes of metadata no one has read, through a memo), else its namespace and name.
 */
export function deploymentOf(xr: Record<string, unknown>): string {
  const uid = UIDS.at(xr, 'metadata', 'uid');
  if (uid !== '') return uid;
  const meta = (typeof xr['metadata'] === 'object' && xr['metadata'] !== null ? xr['metadata'] : {}) as Record<string, unknown>;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return `${text(meta['namespace'])}/${text(meta['name'])}`;
}

/** readClaim is parseAt(DeploymentSpec, xr.spec, 'spec'), through the memo; `slot` identifies the XR (see FieldMemo.atSlot). */
export function readClaim(xr: Record<string, unknown>, slot: string): Result<ClaimSpec> {
  return CLAIMS.atSlot(slot, xr, 'spec');
}

/** readAnalysis is context `scia.io/analysis`, as readContext reads it, through the memo. */
export function readAnalysis(req: RunFunctionRequest, rsp: RunFunctionResponse, slot: string): Analysis | undefined {
  return ANALYSES.read(req, rsp, 'deciding without it', slot);
}

/**
 * statusReads reads the observed XR's status.outcome and status.deployment
 * through the memos, from the XR's bytes: the status itself is not decoded.
 */
export function statusReads(xr: Record<string, unknown>, slot: string): StatusReads {
  return { outcome: () => OUTCOMES.atSlot(slot, xr, 'status', 'outcome'), deployment: () => PINNED.atSlot(slot, xr, 'status', 'deployment') };
}

/**
 * pinnedFast is pinnedDecision(status, spec, claimHash) of the status `reads`
 * reads: the decision pinned for this claim and the evidence it records,
 * priced for `spec`, the same frozen Decision while neither changes.
 */
export function pinnedFast(reads: StatusReads, spec: DeploymentSpec, claimHash: string): Decision | undefined {
  const d = reads.deployment();
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
 * the response takes it without copying and the encoder writes its bytes
 * again (see freezeJson); else afresh. The status is merged field by field
 * into the desired XR's, so each of its fields is frozen JSON of its own.
 */
export function writtenFor(decision: Decision): Written {
  if (!Object.isFrozen(decision)) return { context: decision, status: statusOf(decision) };
  let written = WRITTEN.get(decision);
  if (written === undefined) WRITTEN.set(decision, (written = { context: freezeJson(decision), status: frozenFields(statusOf(decision)) }));
  return written;
}

/** frozenFields is `status` frozen as JSON, each field's object frozen as JSON of its own too (what mergeDesiredStatus puts in the desired status). */
function frozenFields(status: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(status)) out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? freezeJson(v as JsonObject) : v;
  // freezeJson passes the fields frozen already on as they are.
  return freezeJson(out);
}
