import { DeploymentStatusDecision, type Analysis, type DeploymentSpec } from '@scia/api';
import { MODEL_NONE, decisionInputHash, redecision, withEvidence } from '@scia/decider';

/**
 * decisionPinned tells whether the XR's status holds a decision made for
 * exactly these inputs and the evidence it records, and not to be decided
 * again after a failure, in which case the decide step reuses it and needs no
 * cases. The model is the one the pinned decision names (MODEL_NONE for rules),
 * and the hash is decide's own decisionInputHash, so the two steps agree.
 */
export function decisionPinned(status: unknown, spec: DeploymentSpec, analysis: Analysis | undefined): boolean {
  if (typeof status !== 'object' || status === null || !('deployment' in status)) return false;
  const pinned = DeploymentStatusDecision.safeParse(status.deployment);
  if (!pinned.success) return false;
  if (redecision(status).kind === 'redecide') return false;
  const commit = analysis?.commit ?? spec.repository.ref;
  const claim = decisionInputHash(spec, commit, pinned.data.model ?? MODEL_NONE);
  return pinned.data.inputHash === withEvidence(claim, pinned.data.evidence ?? { cases: '', failures: [] });
}
