import { DeploymentStatusDecision, type Analysis, type DeploymentSpec } from '@scia/api';
import { PROMPT_VERSION, decisionInputHash, redecision, withEvidence } from '@scia/decider';

/**
 * decisionPinned tells whether the XR's status holds a decision made for
 * exactly these inputs and the evidence it records, and not to be decided
 * again after a failure, in which case the decide step reuses it and needs no
 * cases. The model is the one the pinned decision names ('none' for rules).
 */
export function decisionPinned(status: unknown, spec: DeploymentSpec, analysis: Analysis | undefined): boolean {
  if (typeof status !== 'object' || status === null || !('deployment' in status)) return false;
  const pinned = DeploymentStatusDecision.safeParse(status.deployment);
  if (!pinned.success) return false;
  const hash = decisionInputHash({
    commit: analysis?.commit ?? spec.repository.ref,
    prompt: spec.prompt,
    strategy: spec.strategy,
    region: spec.region,
    budget: spec.budget,
    policies: spec.policies,
    model: pinned.data.model ?? 'none',
    promptVersion: PROMPT_VERSION,
  });
  if (redecision(status).kind === 'redecide') return false;
  return pinned.data.inputHash === withEvidence(hash, pinned.data.evidence ?? { cases: '', failures: [] });
}
