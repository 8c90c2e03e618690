import type { Analysis, DeploymentSpec } from '@scia/api';
import { MODEL_NONE, decisionInputHashOnce, parsedStatus, pinnedFor, redecisionOf, type StatusReads } from '@scia/decider';

/**
 * decisionPinned tells whether the XR's status holds a decision made for
 * exactly these inputs and the evidence it records, and not to be decided
 * again after a failure, in which case the decide step reuses it and needs no
 * cases. The model is the one the pinned decision names (MODEL_NONE for rules),
 * and the hash is decide's own decisionInputHash, so the two steps agree.
 */
export function decisionPinned(status: unknown, spec: DeploymentSpec, analysis: Analysis | undefined): boolean {
  return pinnedBy(parsedStatus(status), spec, analysis);
}

/** pinnedBy is decisionPinned of the status `reads` reads. */
export function pinnedBy(reads: StatusReads, spec: DeploymentSpec, analysis: Analysis | undefined): boolean {
  const pinned = reads.deployment();
  if (pinned === undefined) return false;
  if (redecisionOf(reads).kind === 'redecide') return false;
  const commit = analysis?.commit ?? spec.repository.ref;
  return pinnedFor(pinned, decisionInputHashOnce(spec, commit, pinned.model ?? MODEL_NONE));
}
