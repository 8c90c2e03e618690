import { describe, expect, it } from 'vitest';
import { canonicalJson, decisionInputHash, type DecisionHashInput } from '../src/index.js';

const base: DecisionHashInput = {
  commit: 'abc',
  prompt: 'Python API',
  strategy: 'auto',
  region: 'eu-west-3',
  budget: { maxMonthlyCost: 200, alertThreshold: 0.8, enforcementMode: 'soft' },
  policies: ['require-https', 'enable-monitoring'],
  model: 'qwen2.5-coder:7b',
  promptVersion: 'decide-v1',
};

describe('decisionInputHash', () => {
  it('is a sha256 of the canonical inputs', () => {
    expect(decisionInputHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order and policy order', () => {
    const shuffled: DecisionHashInput = {
      promptVersion: 'decide-v1',
      policies: ['enable-monitoring', 'require-https', 'enable-monitoring'],
      budget: { enforcementMode: 'soft', alertThreshold: 0.8, maxMonthlyCost: 200 },
      model: 'qwen2.5-coder:7b',
      region: 'eu-west-3',
      strategy: 'auto',
      prompt: 'Python API',
      commit: 'abc',
    };
    expect(decisionInputHash(shuffled)).toBe(decisionInputHash(base));
  });

  const changes: Record<string, Partial<DecisionHashInput>> = {
    commit: { commit: 'abd' },
    prompt: { prompt: 'Python API!' },
    strategy: { strategy: 'vm' },
    region: { region: 'eu-west-1' },
    budget: { budget: { maxMonthlyCost: 201, alertThreshold: 0.8, enforcementMode: 'soft' } },
    'no budget': { budget: undefined },
    policies: { policies: ['require-https'] },
    model: { model: 'none' },
    promptVersion: { promptVersion: 'decide-v2' },
  };
  it.each(Object.entries(changes))('changes with %s', (_, change) => {
    expect(decisionInputHash({ ...base, ...change })).not.toBe(decisionInputHash(base));
  });

  it('serializes canonically', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined], c: undefined } })).toBe('{"a":{"d":[1,null]},"b":1}');
  });
});
