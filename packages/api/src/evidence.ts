import { z } from 'zod';
import { Cause } from './cause.js';
import { Outcome } from './similar.js';

export { Cause, CitedCase } from './cause.js';
export { DecisionEvidence, FailedAttempt } from './decision.js';

/** UnreadyResource is a composed resource that did not become ready: its name, kind, condition and for how long. */
export const UnreadyResource = z.object({
  resource: z.string().max(253),
  kind: z.string().max(100).optional(),
  reason: z.string().max(200).optional(),
  message: z.string().max(500).optional(),
  forSeconds: z.number().nonnegative(),
});
export type UnreadyResource = z.infer<typeof UnreadyResource>;

/**
 * OutcomeEvidence is what a recorded outcome rests on: the causes found (in
 * conditions, the workload's state and the team's comment), the composed
 * resources that never became ready, and the workload's observed state where
 * provider-kubernetes reports it.
 */
export const OutcomeEvidence = z.object({
  causes: z.array(Cause).default([]),
  unready: z.array(UnreadyResource).max(20).default([]),
  workload: z.string().max(500).optional(),
});
export type OutcomeEvidence = z.infer<typeof OutcomeEvidence>;



/**
 * OutcomeStatus is the record step's judgment of the pinned decision, in the
 * XR's `status.outcome`: since when it watches it, the outcome once known,
 * the causes, and whether the decide step should decide again now (a failure
 * or a thumbs-down, once its backoff has passed, while attempts remain).
 */
export const OutcomeStatus = z.object({
  inputHash: z.string(),
  /** since (RFC 3339) is when the record step first saw a re-decision pinned: its resources' time starts then. */
  since: z.string().optional(),
  outcome: Outcome.optional(),
  causes: z.array(Cause).default([]),
  summary: z.string().max(500).optional(),
  /** feedbackComment is the comment of a thumbs-down on this decision (not one an earlier decision already answered). */
  feedbackComment: z.string().max(500).optional(),
  thumbsDown: z.boolean().default(false),
  /** failedAt (RFC 3339) is when the failure or thumbs-down was first seen. */
  failedAt: z.string().optional(),
  redecide: z.boolean().default(false),
  gaveUp: z.boolean().default(false),
});
export type OutcomeStatus = z.infer<typeof OutcomeStatus>;
