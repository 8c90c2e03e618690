import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, errorsByField, fieldFor, toInput, type FormResult, type FormValues } from '../src/model/form.js';

const FILLED: FormValues = {
  ...EMPTY_FORM,
  namespace: 'team-a',
  name: 'flask-api',
  repositoryUrl: ' https://github.com/acme/flask-api ',
  prompt: 'Python API, under $200/month',
};

describe('toInput', () => {
  const cases: Record<string, { values: FormValues; want: FormResult }> = {
    'a filled form without budget': {
      values: FILLED,
      want: {
        ok: true,
        value: {
          namespace: 'team-a',
          name: 'flask-api',
          repository: { url: 'https://github.com/acme/flask-api', ref: 'main' },
          prompt: 'Python API, under $200/month',
          region: 'eu-west-3',
          policies: [],
          strategy: 'auto',
        },
      },
    },
    'a hard budget, policies and a strategy; an empty ref is HEAD': {
      values: { ...FILLED, ref: ' ', maxMonthlyCost: '200', alertThreshold: '0.9', enforcementMode: 'hard', policies: ['require-https'], strategy: 'serverless' },
      want: {
        ok: true,
        value: {
          namespace: 'team-a',
          name: 'flask-api',
          repository: { url: 'https://github.com/acme/flask-api', ref: 'HEAD' },
          prompt: 'Python API, under $200/month',
          region: 'eu-west-3',
          budget: { maxMonthlyCost: 200, alertThreshold: 0.9, enforcementMode: 'hard' },
          policies: ['require-https'],
          strategy: 'serverless',
        },
      },
    },
    'an empty form names every required field': {
      values: { ...EMPTY_FORM, region: '' },
      want: {
        ok: false,
        errors: [
          { field: 'namespace', message: 'is required' },
          { field: 'name', message: 'is required' },
          { field: 'repository.url', message: 'is required' },
          { field: 'region', message: 'must be an AWS region such as eu-west-3' },
        ],
      },
    },
    'names that are no DNS labels': {
      values: { ...FILLED, namespace: 'Team_A', name: 'api-' },
      want: {
        ok: false,
        errors: [
          { field: 'namespace', message: 'must be a DNS label such as team-backend' },
          { field: 'name', message: 'must be a DNS label: lower-case letters, digits and dashes' },
        ],
      },
    },
    'budget numbers out of range, and a hard budget without a ceiling': {
      values: { ...FILLED, maxMonthlyCost: '', alertThreshold: '1.5', enforcementMode: 'hard' },
      want: {
        ok: false,
        errors: [
          { field: 'budget.alertThreshold', message: 'must be above 0 and at most 1' },
          { field: 'budget.maxMonthlyCost', message: 'a hard budget needs maxMonthlyCost' },
        ],
      },
    },
    'a ceiling that is no number': {
      values: { ...FILLED, maxMonthlyCost: 'lots' },
      want: { ok: false, errors: [{ field: 'budget.maxMonthlyCost', message: 'must be a positive amount up to 10,000,000' }] },
    },
  };
  it.each(Object.entries(cases))('%s', (_reason, { values, want }) => {
    expect(toInput(values)).toEqual(want);
  });
});

describe('fieldFor', () => {
  const cases: Record<string, { path: string; want: string | null }> = {
    'a claim path': { path: 'spec.budget.maxMonthlyCost', want: 'budget.maxMonthlyCost' },
    'metadata': { path: 'metadata.name', want: 'name' },
    'an input path': { path: 'input.repository.url', want: 'repository.url' },
    'an indexed list item, bracketed': { path: 'spec.policies[1]', want: 'policies' },
    'an indexed list item, dotted': { path: 'policies.0', want: 'policies' },
    'the request as a whole': { path: '', want: null },
    'a field the form does not show': { path: 'spec.artifact.image', want: null },
  };
  it.each(Object.entries(cases))('%s', (_reason, { path, want }) => {
    expect(fieldFor(path)).toBe(want);
  });

  it('groups errors under their field and keeps the ones it cannot place, named, with the form', () => {
    const grouped = errorsByField([
      { field: 'spec.region', message: 'must be an AWS region such as eu-west-3' },
      { field: 'spec.region', message: 'is required' },
      { field: '', message: 'deployments.scia.io is forbidden' },
      { field: 'spec.artifact', message: 'set exactly one of image and s3' },
    ]);
    expect([...grouped.entries()]).toEqual([
      ['region', ['must be an AWS region such as eu-west-3', 'is required']],
      ['', ['deployments.scia.io is forbidden', 'spec.artifact: set exactly one of image and s3']],
    ]);
  });
});
