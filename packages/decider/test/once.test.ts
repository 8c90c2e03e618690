import { describe, expect, it } from 'vitest';
import { DeploymentSpec, type DecisionEvidence } from '@scia/api';
import { MODEL_NONE, decisionInputHash, decisionInputHashOnce, keptFor, pinnedFor, resolvedOnce, withEvidence, type PinnedDecision } from '../src/index.js';

const spec = (over: Record<string, unknown> = {}): DeploymentSpec => DeploymentSpec.parse({ repository: { url: 'https://example.com/a', ref: 'main' }, region: 'eu-west-3', prompt: 'an API', ...over }) as DeploymentSpec;
const deepFrozen = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFrozen(x);
    Object.freeze(v);
  }
  return v;
};

describe('once: derived values of frozen objects', () => {
  it('hashes a frozen spec once per commit and model, each as decisionInputHash does', () => {
    const s = deepFrozen(spec());
    const cases = [
      { commit: 'c1', model: MODEL_NONE },
      { commit: 'c2', model: MODEL_NONE },
      { commit: 'c1', model: 'qwen2.5-coder:7b' },
    ];
    for (const { commit, model } of [...cases, ...cases]) expect(decisionInputHashOnce(s, commit, model)).toBe(decisionInputHash(s, commit, model));
  });

  it('hashes a spec that is not frozen afresh: a change to it changes the hash', () => {
    const s = spec();
    const before = decisionInputHashOnce(s, 'c1', MODEL_NONE);
    s.prompt = 'another API';
    expect(decisionInputHashOnce(s, 'c1', MODEL_NONE)).not.toBe(before);
    expect(decisionInputHashOnce(s, 'c1', MODEL_NONE)).toBe(decisionInputHash(s, 'c1', MODEL_NONE));
  });

  const evidence: DecisionEvidence = { cases: 'c'.repeat(64), failures: [] };
  const pinned = (claimHash: string, e: DecisionEvidence | undefined): PinnedDecision =>
    deepFrozen({ strategy: 'vm', reason: 'r', confidence: 0.5, decidedBy: 'rules', inputHash: e === undefined ? claimHash : withEvidence(claimHash, e), alternativeStrategies: [], citedCases: [], ...(e === undefined ? {} : { evidence: e }) });
  const table = [
    { reason: 'made for this claim, no evidence', d: pinned('a'.repeat(64), undefined), claim: 'a'.repeat(64), want: true },
    { reason: 'made for this claim and its evidence', d: pinned('a'.repeat(64), evidence), claim: 'a'.repeat(64), want: true },
    { reason: 'made for another claim', d: pinned('a'.repeat(64), evidence), claim: 'b'.repeat(64), want: false },
  ];
  it.each(table)('pinnedFor: $reason', ({ d, claim, want }) => {
    expect(pinnedFor(d, claim)).toBe(want);
    expect(pinnedFor(d, claim)).toBe(want);
  });

  it('pinnedFor answers for each claim hash asked of the same pinned decision', () => {
    const d = pinned('a'.repeat(64), evidence);
    expect([pinnedFor(d, 'a'.repeat(64)), pinnedFor(d, 'b'.repeat(64)), pinnedFor(d, 'a'.repeat(64))]).toEqual([true, false, true]);
  });

  it('resolvedOnce answers one frozen spec per frozen claim and region, and the spec itself otherwise', () => {
    const claim = deepFrozen(spec());
    const a = resolvedOnce(claim, { ...claim, region: 'eu-west-3' });
    expect(resolvedOnce(claim, { ...claim, region: 'eu-west-3' })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(resolvedOnce(claim, { ...claim, region: 'us-east-1' }).region).toBe('us-east-1');
    const open = spec();
    const given = { ...open };
    expect(resolvedOnce(open, given)).toBe(given);
    expect(Object.isFrozen(given)).toBe(false);
  });

  it('keptFor computes once per pair of frozen objects, afresh for others, and freezes what it keeps', () => {
    const memo = new WeakMap<object, WeakMap<object, { n: number; list: number[] }>>();
    let n = 0;
    const make = (): { n: number; list: number[] } => ({ n: ++n, list: [n] });
    const a = Object.freeze({});
    const b = Object.freeze({});
    const kept = keptFor(memo, a, b, make);
    expect(keptFor(memo, a, b, make)).toBe(kept);
    expect(Object.isFrozen(kept.list)).toBe(true);
    expect(keptFor(memo, a, Object.freeze({}), make).n).toBe(2);
    expect(keptFor(memo, a, {}, make).n).toBe(3);
    expect(keptFor(memo, a, {}, make).n).toBe(4);
  });
});
