import type { Outcome } from '@scia/api';
import { judgeOutcome } from '@scia/decider';

/** Verdict is an observed deployment's outcome, or undefined while it is still settling. */
export type Verdict = { outcome: Outcome; reason?: string } | undefined;

/**
 * judge reads an XR's status as the decider's judgeOutcome does, without the
 * composed resources: Ready True is a success (degraded when Synced has been
 * False for `failAfterSeconds`); Ready or Synced False for that long (counted
 * from the later of the condition's transition and `status.deployment.decidedAt`),
 * or phase Failed with no Ready condition, is a failure with the reason.
 */
export function judge(status: unknown, now: Date, failAfterSeconds: number): Verdict {
  const judged = judgeOutcome(status, [], now, failAfterSeconds);
  if (judged === undefined) return undefined;
  return judged.reason === undefined ? { outcome: judged.outcome } : { outcome: judged.outcome, reason: judged.reason };
}
