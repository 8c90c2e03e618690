import { canonicalHash, type DecisionEvidence, type SimilarCase } from '@scia/api';

/**
 * casesDigest identifies what retrieval knew: each case's id, outcome,
 * feedback and causes (not its score, which ages). Empty for no cases.
 */
export function casesDigest(cases: readonly SimilarCase[]): string {
  if (cases.length === 0) return '';
  const facts = cases.map((c) => [c.id, c.outcome, c.feedback, [...c.causes].sort()]);
  return canonicalHash(facts);
}

/**
 * withEvidence is a decision's input hash: the claim's hash when it learned
 * nothing beyond the claim, else the hash of both. So a decision is pinned
 * while its claim and what it learned from stay the same, and a new failure or
 * a new memory (for a new claim) decides again.
 */
export function withEvidence(claimHash: string, evidence: DecisionEvidence): string {
  if (evidence.cases === '' && evidence.failures.length === 0) return claimHash;
  return canonicalHash({ claim: claimHash, evidence });
}

/**
 * deploymentKey names one deployment's decision for a claim and its own
 * failures, whatever the memory holds: while a deployment's decision is
 * being made, and once made, records written elsewhere (which change the
 * cases' digest) do not start it again.
 */
export function deploymentKey(deployment: string, claimHash: string, failures: DecisionEvidence['failures']): string {
  return canonicalHash({ deployment, claim: claimHash, failures: failures.map((f) => f.inputHash) });
}
