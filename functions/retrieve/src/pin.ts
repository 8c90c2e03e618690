import { DeploymentStatusDecision, type Analysis, type DeploymentSpec } from '@scia/api';
import { MODEL_NONE, decisionInputHash } from '@scia/decider';

/**
 * decisionPinned tells whether the XR's status holds a decision made for
 * exactly these inputs, in which case the decide step reuses it and needs no
 * cases. The model is the one the pinned decision names (MODEL_NONE for rules),
 * and the hash is decide's own decisionInputHash, so the two steps agree.
 */
export function decisionPinned(status: unknown, spec: DeploymentSpec, analysis: Analysis | undefined): boolean {
  if (typeof status !== 'object' || status === null || !('deployment' in status)) return false;
  const pinned = DeploymentStatusDecision.safeParse(status.deployment);
  if (!pinned.success) return false;
  const commit = analysis?.commit ?? spec.repository.ref;
  return pinned.data.inputHash === decisionInputHash(spec, commit, pinned.data.model ?? MODEL_NONE);
}
