import { Annotation, DeploymentStatusDecision, OutcomeStatus, type DeploymentStatus, type FailedAttempt } from '@scia/api';
import { excerpt } from '../excerpt.js';
import { classifyText } from './classify.js';
import { judgeOutcome, type Judged, type ObservedResource } from './outcome.js';

/** MAX_ATTEMPTS bounds a deployment's decisions: after this many failed, it stays Failed with the reasons. */
export const MAX_ATTEMPTS = 3;
/**
 * BACKOFF_SECONDS[n] is how long after its (n+1)-th decision failed a
 * deployment waits before deciding again: the first wait also gives the team
 * time to say why (a thumbs-down comment joins the failure's evidence).
 */
export const BACKOFF_SECONDS: readonly number[] = [300, 900, 1800];

/** TeamFeedback is what the claim's `scia.io/feedback` annotations say: -1, 0 or +1 and a comment. */
export interface TeamFeedback {
  value: number | undefined;
  comment: string | undefined;
}

/** feedbackOf reads the feedback annotations of an XR (an unreadable value is none). */
export function feedbackOf(xr: Record<string, unknown>): TeamFeedback {
  const annotations = record(record(xr['metadata'])['annotations']);
  const raw = annotations[Annotation.feedback];
  const value = typeof raw === 'string' ? ({ '+1': 1, '1': 1, '-1': -1, '0': 0 } as Record<string, number>)[raw.trim()] : undefined;
  const text = annotations[Annotation.feedbackComment];
  const comment = typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
  return { value, comment };
}

/** NO_COMMENT stands for a thumbs-down without a comment in a FailedAttempt. */
const NO_COMMENT = '(no comment)';

function commentKey(feedback: TeamFeedback): string {
  return excerpt(feedback.comment ?? NO_COMMENT, 500);
}

/**
 * feedbackConsumed tells whether a thumbs-down already counted against an
 * earlier decision of this deployment (its comment is in the pinned
 * decision's evidence): it then says nothing about the decision pinned now.
 */
export function feedbackConsumed(status: unknown, feedback: TeamFeedback): boolean {
  if (feedback.value !== -1) return false;
  const pinned = DeploymentStatusDecision.safeParse(record(status)['deployment']);
  return pinned.success && (pinned.data.evidence?.failures ?? []).some((f) => f.feedbackComment === commentKey(feedback));
}

/** PinnedDecision is the decision pinned in an XR's status.deployment, read. */
export type PinnedDecision = NonNullable<DeploymentStatus['deployment']>;

export interface Watch {
  xr: Record<string, unknown>;
  /** resources are the observed composed resources, iterated only when a deployment not Ready needs evidence (see judgeOutcome). */
  resources: Iterable<ObservedResource>;
  now: Date;
  failAfterSeconds: number;
  /** decision is the XR's status.deployment as the caller read it already (DeploymentStatusDecision); read here when not given. */
  decision?: PinnedDecision;
}

/**
 * watchOutcome is the record step's judgment of the pinned decision, for the
 * XR's `status.outcome`: `since`, set for a re-decision, is kept from the last
 * judgment of the same decision (else now); the outcome comes from judgeOutcome counting time from
 * `since`; a thumbs-down counts unless an earlier decision answered it; once
 * failed or thumbed down, `redecide` turns true after the attempt's backoff
 * while attempts remain, else `gaveUp`. It also returns the judged evidence.
 */
export function watchOutcome(w: Watch): { status: OutcomeStatus; judged: Judged } | undefined {
  const observed = record(w.xr['status']);
  const d = w.decision ?? pinnedOf(observed);
  if (d === undefined) return undefined;
  const before = OutcomeStatus.safeParse(observed['outcome']);
  const previous = before.success && before.data.inputHash === d.inputHash ? before.data : undefined;
  // A re-decision's resources get their own time: the XR's Ready False from before it says nothing of them.
  const since = previous?.since ?? ((d.evidence?.failures.length ?? 0) > 0 ? w.now.toISOString() : undefined);
  const judged = judgeOutcome(observed, w.resources, w.now, w.failAfterSeconds, since);
  const feedback = feedbackOf(w.xr);
  const thumbsDown = feedback.value === -1 && !feedbackConsumed(observed, feedback);
  const failed = judged?.outcome === 'failed';
  const causes = [...new Set([...(failed ? (judged?.evidence.causes ?? []) : []), ...(thumbsDown ? classifyText(feedback.comment) : [])])];
  const status: OutcomeStatus = { inputHash: d.inputHash, causes, thumbsDown, redecide: false, gaveUp: false };
  if (since !== undefined) status.since = since;
  if (judged !== undefined) status.outcome = judged.outcome;
  if (failed) status.summary = excerpt(`not ready: ${judged?.evidence.unready.map((u) => `${u.resource}${u.reason === undefined ? '' : ` (${u.reason})`}`).join(', ') || 'the deployment'}`, 500);
  else if (thumbsDown) status.summary = 'thumbed down by the team';
  if (thumbsDown) status.feedbackComment = commentKey(feedback);
  if (!failed && !thumbsDown) return { status, judged };
  const from = since === undefined ? -Infinity : Date.parse(since);
  const failedAt = previous?.failedAt ?? (failed && judged?.since !== undefined && Number.isFinite(judged.since) ? new Date(Math.min(w.now.getTime(), Math.max(judged.since, from) + w.failAfterSeconds * 1000)) : w.now).toISOString();
  status.failedAt = failedAt;
  const attempt = d.attempt ?? 1;
  if (attempt >= MAX_ATTEMPTS) status.gaveUp = true;
  else status.redecide = (w.now.getTime() - Date.parse(failedAt)) / 1000 >= (BACKOFF_SECONDS[attempt - 1] ?? 0);
  return { status, judged };
}

/** Redecision is what the decide step does about the pinned decision's outcome. */
export type Redecision =
  | { kind: 'keep' }
  | { kind: 'wait'; outcome: OutcomeStatus }
  | { kind: 'gave-up'; outcome: OutcomeStatus; failures: FailedAttempt[] }
  | { kind: 'redecide'; outcome: OutcomeStatus; failures: FailedAttempt[]; attempt: number };

/**
 * StatusReads reads an XR status's `outcome` (OutcomeStatus) and `deployment`
 * (DeploymentStatusDecision), each undefined when absent or invalid.
 * parsedStatus parses them from a status object; a step may read them
 * through memos instead (the same results for the same values).
 */
export interface StatusReads {
  outcome(): OutcomeStatus | undefined;
  deployment(): PinnedDecision | undefined;
}

/** parsedStatus reads `status`'s outcome and pinned decision by parsing them, on each read. */
export function parsedStatus(status: unknown): StatusReads {
  const s = record(status);
  return { outcome: () => parseOutcome(s['outcome']), deployment: () => pinnedOf(s) };
}

/** parseOutcome reads a `status.outcome` value, or undefined when it is not one. */
export function parseOutcome(value: unknown): OutcomeStatus | undefined {
  const parsed = OutcomeStatus.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** parsePinned reads a `status.deployment` value, or undefined when it is not one. */
export function parsePinned(value: unknown): PinnedDecision | undefined {
  const parsed = DeploymentStatusDecision.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * redecision reads the record step's `status.outcome` for the pinned
 * decision: keep it (no failure), wait (a failure within its backoff), give
 * up (attempts spent), or decide again with every failure so far as evidence.
 * The failed attempt carries no times, so the new input hash is stable.
 */
export function redecision(status: unknown): Redecision {
  return redecisionOf(parsedStatus(status));
}

/** redecisionOf is redecision of the status `reads` reads. */
export function redecisionOf(reads: StatusReads): Redecision {
  // The outcome first: while it reports no failure the decision is kept, and is not read.
  const o = reads.outcome();
  if (o === undefined) return { kind: 'keep' };
  if (o.outcome !== 'failed' && !o.thumbsDown) return { kind: 'keep' };
  const d = reads.deployment();
  if (d === undefined || o.inputHash !== d.inputHash) return { kind: 'keep' };
  const failed: FailedAttempt = {
    inputHash: d.inputHash,
    strategy: d.strategy,
    config: d.config ?? {},
    causes: o.causes,
    summary: o.summary ?? 'failed',
    ...(o.feedbackComment === undefined ? {} : { feedbackComment: o.feedbackComment }),
  };
  const failures = [...(d.evidence?.failures ?? []), failed];
  if (o.gaveUp) return { kind: 'gave-up', outcome: o, failures };
  if (!o.redecide) return { kind: 'wait', outcome: o };
  return { kind: 'redecide', outcome: o, failures, attempt: (d.attempt ?? 1) + 1 };
}

function pinnedOf(status: Record<string, unknown>): PinnedDecision | undefined {
  return parsePinned(status['deployment']);
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
