import { describe, expect, it } from 'vitest';
import { DeploymentSpec, type DeploymentSpecInput } from '@scia/api';
import { MODEL_NONE, decisionInputHash, decisionInputs } from '../src/index.js';

const base: DeploymentSpecInput = {
  repository: { url: 'https://example.com/acme/api', ref: 'main' },
  prompt: 'Python API',
  strategy: 'auto',
  region: 'eu-west-3',
  budget: { maxMonthlyCost: 200, alertThreshold: 0.8, enforcementMode: 'soft' },
  policies: ['require-https', 'enable-monitoring'],
};
const hash = (spec: DeploymentSpecInput, commit = 'abc', model = 'qwen2.5-coder:7b'): string => decisionInputHash(DeploymentSpec.parse(spec) as DeploymentSpec, commit, model);

describe('decisionInputHash', () => {
  it('is a sha256 of the canonical inputs', () => {
    expect(hash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order and policy order', () => {
    const shuffled: DeploymentSpecInput = {
      policies: ['enable-monitoring', 'require-https', 'enable-monitoring'],
      budget: { enforcementMode: 'soft', alertThreshold: 0.8, maxMonthlyCost: 200 },
      region: 'eu-west-3',
      strategy: 'auto',
      prompt: 'Python API',
      repository: { ref: 'main', url: 'https://example.com/acme/api' },
    };
    expect(hash(shuffled)).toBe(hash(base));
  });

  const changes: Record<string, { spec?: Partial<DeploymentSpecInput>; commit?: string; model?: string }> = {
    commit: { commit: 'abd' },
    prompt: { spec: { prompt: 'Python API!' } },
    strategy: { spec: { strategy: 'vm' } },
    region: { spec: { region: 'eu-west-1' } },
    budget: { spec: { budget: { maxMonthlyCost: 201, alertThreshold: 0.8, enforcementMode: 'soft' } } },
    'no budget': { spec: { budget: undefined } },
    policies: { spec: { policies: ['require-https'] } },
    model: { model: MODEL_NONE },
  };
  it.each(Object.entries(changes))('changes with %s', (_, change) => {
    expect(hash({ ...base, ...change.spec }, change.commit, change.model)).not.toBe(hash(base));
  });

  const ignored: Record<string, Partial<DeploymentSpecInput>> = {
    domain: { domain: 'api.example.com' },
    'repository url': { repository: { url: 'https://example.com/acme/other', ref: 'main' } },
  };
  it.each(Object.entries(ignored))('does not change with %s, which the decision does not read', (_, change) => {
    expect(hash({ ...base, ...change })).toBe(hash(base));
  });

  it('covers exactly the documented inputs', () => {
    expect(Object.keys(decisionInputs(DeploymentSpec.parse(base) as DeploymentSpec, 'abc', MODEL_NONE)).sort()).toEqual(
      ['budget', 'commit', 'model', 'policies', 'prompt', 'promptVersion', 'region', 'strategy'],
    );
  });
});
