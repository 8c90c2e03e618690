import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describeConfig, type Redecision } from '@scia/decider';
import { mergeDesiredStatus, normal, warning } from '@scia/runtime/step';

function causesOf(r: { outcome: { causes: readonly string[] } }): string {
  return r.outcome.causes.length === 0 ? 'cause unknown' : r.outcome.causes.join(', ');
}

/**
 * reportOutcome says what the pinned decision's outcome means: while a
 * failure waits out its backoff, a Normal result; once the attempts are
 * spent, phase Failed with the reasons of every attempt and a Warning.
 */
export function reportOutcome(rsp: RunFunctionResponse, again: Redecision): RunFunctionResponse {
  if (again.kind === 'wait') {
    normal(rsp, `the decision failed (${causesOf(again)}); deciding again after its backoff`, { reason: 'RedecisionPending', claim: true });
  } else if (again.kind === 'gave-up') {
    const reasons = again.failures.map((f, i) => `attempt ${i + 1}: ${f.strategy} ${describeConfig(f.strategy, f.config)} (${f.causes.join(', ') || 'cause unknown'})`).join('; ');
    const message = `gave up deciding again, every decision failed: ${reasons}`;
    mergeDesiredStatus(rsp, { phase: 'Failed', message });
    warning(rsp, message, { reason: 'GaveUp', claim: true });
  }
  return rsp;
}

/**
 * redecided notes a re-decision, made with the failure as evidence, in
 * `status.history` (after what earlier history the XR has) and as a Normal
 * result. Other decisions pass through.
 */
export function redecided(rsp: RunFunctionResponse, again: Redecision, observedStatus: unknown): RunFunctionResponse {
  if (again.kind !== 'redecide') return rsp;
  const last = again.failures[again.failures.length - 1];
  const message = `attempt ${again.attempt}: ${last?.strategy ?? 'the decision'} failed (${causesOf(again)}; ${last?.summary ?? ''}), decided again with it as evidence`;
  const earlier = typeof observedStatus === 'object' && observedStatus !== null && 'history' in observedStatus && Array.isArray(observedStatus.history) ? observedStatus.history : [];
  mergeDesiredStatus(rsp, { history: [...(earlier as unknown[]), { at: again.outcome.failedAt ?? again.outcome.since ?? '', event: 'Redecided', message }] });
  normal(rsp, message, { reason: 'Redecided', claim: true });
  return rsp;
}
