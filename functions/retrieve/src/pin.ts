import type { Analysis, DeploymentSpec } from '@scia/api';
import { MODEL_NONE, PARSE_STATUS, decisionInputHashOnce, pinnedFor, redecision, type StatusReads } from '@scia/decider';

/**
 * decisionPinned tells whether the XR's status holds a decision made for
 * exactly these inputs and the evidence it records, and not to be decided
 * again after a failure, in which case the decide step reuses it and needs no
 * cases. The model is the one the pinned decision names (MODEL_NONE for rules),
 * and the hash is decide's own decisionInputHash, so the two steps agree.
 * `reads` reads the status's outcome and pinned decision (parsed afresh by default).
 */
export function decisionPinned(status: unknown, spec: DeploymentSpec, analysis: Analysis | undefined, reads: StatusReads = PARSE_STATUS): boolean {
  if (typeof status !== 'object' || status === null) return false;
  const pinned = reads.deployment(status as Record<string, unknown>);
  if (pinned === undefined) return false;
  if (redecision(status, reads).kind === 'redecide') return false;
  const commit = analysis?.commit ?? spec.repository.ref;
  return pinnedFor(pinned, decisionInputHashOnce(spec, commit, pinned.model ?? MODEL_NONE));
}
