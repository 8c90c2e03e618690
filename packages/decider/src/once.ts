import { deepFreeze, type ClaimSpec, type DecisionEvidence, type DeploymentSpec } from '@scia/api';
import { decisionInputHash } from './hash.js';
import { withEvidence } from './learning/evidence-hash.js';
import type { PinnedDecision } from './learning/own-failure.js';

/**
 * A steady reconcile sends the same claim, analysis and pinned decision again
 * and again. A step that reads them through a memo (the runtime's FieldMemo)
 * gets the same frozen objects each time; the functions here key on those
 * objects, so what is derived from them is computed once per distinct value.
 * An object that is not frozen (read without a memo) may change: for it they
 * compute afresh, as the functions they stand for.
 */

/** EMPTY_EVIDENCE is a pinned decision's evidence when it records none. */
const EMPTY_EVIDENCE: DecisionEvidence = { cases: '', failures: [] };

/** MAX_PER_OBJECT bounds the results kept per object (distinct commits, models, regions). */
const MAX_PER_OBJECT = 16;

/** derived returns compute(), kept per frozen `obj` and `key`. */
function derived<O extends object, V>(memo: WeakMap<O, Map<string, V>>, obj: O, key: string, compute: () => V): V {
  if (!Object.isFrozen(obj)) return compute();
  let byKey = memo.get(obj);
  if (byKey === undefined) memo.set(obj, (byKey = new Map<string, V>()));
  const hit = byKey.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  if (byKey.size >= MAX_PER_OBJECT) byKey.clear();
  byKey.set(key, value);
  return value;
}

const RESOLVED = new WeakMap<object, Map<string, DeploymentSpec>>();

/**
 * resolvedOnce returns `spec`, which must be resolveRegion(claim, …)'s value,
 * or the one returned before for the same frozen claim and region: frozen, so
 * what is derived from it is kept too. For a claim not frozen, `spec` itself.
 */
export function resolvedOnce(claim: ClaimSpec, spec: DeploymentSpec): DeploymentSpec {
  return derived(RESOLVED, claim, spec.region, () => (Object.isFrozen(claim) ? Object.freeze(spec) : spec));
}

const INPUT_HASHES = new WeakMap<object, Map<string, string>>();

/** decisionInputHashOnce is decisionInputHash, computed once per frozen spec, commit and model. */
export function decisionInputHashOnce(spec: DeploymentSpec, commit: string, model: string): string {
  return derived(INPUT_HASHES, spec, `${commit}\n${model}`, () => decisionInputHash(spec, commit, model));
}

const PINNED_HASHES = new WeakMap<object, Map<string, string>>();

/**
 * pinnedFor tells whether the pinned decision `d` was made for the claim
 * whose hash is `claimHash` and the evidence it records (see withEvidence),
 * hashing once per frozen `d` and claim hash.
 */
export function pinnedFor(d: PinnedDecision, claimHash: string): boolean {
  return d.inputHash === derived(PINNED_HASHES, d, claimHash, () => withEvidence(claimHash, d.evidence ?? EMPTY_EVIDENCE));
}

/**
 * keptFor returns compute(), kept per frozen `a` and frozen `b` (a pinned
 * decision and the spec it is priced for): deep-frozen, since it is shared.
 * For objects not frozen, compute() afresh.
 */
export function keptFor<A extends object, B extends object, V extends object>(memo: WeakMap<A, WeakMap<B, V>>, a: A, b: B, compute: () => V): V {
  if (!Object.isFrozen(a) || !Object.isFrozen(b)) return compute();
  let byB = memo.get(a);
  if (byB === undefined) memo.set(a, (byB = new WeakMap()));
  let value = byB.get(b);
  if (value === undefined) byB.set(b, (value = deepFreeze(compute())));
  return value;
}
