import type { FieldError, Policy, RequestedStrategy } from './types.js';

/** FormValues are the new-deployment form's fields as the user typed them. */
export interface FormValues {
  namespace: string;
  name: string;
  repositoryUrl: string;
  ref: string;
  prompt: string;
  region: string;
  maxMonthlyCost: string;
  alertThreshold: string;
  enforcementMode: 'soft' | 'hard';
  policies: Policy[];
  strategy: RequestedStrategy;
}

export const EMPTY_FORM: FormValues = {
  namespace: '',
  name: '',
  repositoryUrl: '',
  ref: 'main',
  prompt: '',
  region: 'eu-west-3',
  maxMonthlyCost: '',
  alertThreshold: '0.8',
  enforcementMode: 'soft',
  policies: [],
  strategy: 'auto',
};

/** DeploymentInput is what createDeployment and previewDeployment take. */
export interface DeploymentInput {
  namespace: string;
  name: string;
  repository: { url: string; ref: string };
  prompt: string;
  region: string;
  budget?: { maxMonthlyCost?: number; alertThreshold: number; enforcementMode: 'soft' | 'hard' };
  policies: Policy[];
  strategy: RequestedStrategy;
}

// The same patterns the claim's schema and the XRD hold (packages/api: REGION_PATTERN, DNS-1123 names).
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export type FormResult = { ok: true; value: DeploymentInput } | { ok: false; errors: FieldError[] };

/**
 * toInput checks the form as the claim's schema would and builds the mutation's
 * input. The server checks again (the XRD's CEL rules and the schema); its
 * answers are shown the same way, at the field (see fieldFor).
 */
export function toInput(v: FormValues): FormResult {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): void => void errors.push({ field, message });
  const name = v.name.trim();
  const namespace = v.namespace.trim();
  const url = v.repositoryUrl.trim();
  if (namespace === '') fail('namespace', 'is required');
  else if (!DNS_LABEL.test(namespace) || namespace.length > 63) fail('namespace', 'must be a DNS label such as team-backend');
  if (name === '') fail('name', 'is required');
  else if (!DNS_LABEL.test(name) || name.length > 63) fail('name', 'must be a DNS label: lower-case letters, digits and dashes');
  if (url === '') fail('repository.url', 'is required');
  else if (url.length > 2048) fail('repository.url', 'must be at most 2048 characters');
  if (v.ref.trim().length > 255) fail('repository.ref', 'must be at most 255 characters');
  if (v.prompt.length > 4000) fail('prompt', 'must be at most 4000 characters');
  if (!REGION.test(v.region.trim())) fail('region', 'must be an AWS region such as eu-west-3');

  const max = parseNumber(v.maxMonthlyCost);
  const threshold = parseNumber(v.alertThreshold);
  if (max === 'invalid' || (typeof max === 'number' && (max <= 0 || max > 10_000_000))) {
    fail('budget.maxMonthlyCost', 'must be a positive amount up to 10,000,000');
  }
  if (threshold === 'invalid' || (typeof threshold === 'number' && (threshold <= 0 || threshold > 1))) {
    fail('budget.alertThreshold', 'must be above 0 and at most 1');
  }
  if (v.enforcementMode === 'hard' && max === null) fail('budget.maxMonthlyCost', 'a hard budget needs maxMonthlyCost');
  if (errors.length > 0) return { ok: false, errors };

  const input: DeploymentInput = {
    namespace,
    name,
    repository: { url, ref: v.ref.trim() === '' ? 'HEAD' : v.ref.trim() },
    prompt: v.prompt,
    region: v.region.trim(),
    policies: [...v.policies],
    strategy: v.strategy,
  };
  if (typeof max === 'number' || v.enforcementMode === 'hard') {
    input.budget = {
      ...(typeof max === 'number' ? { maxMonthlyCost: max } : {}),
      alertThreshold: typeof threshold === 'number' ? threshold : 0.8,
      enforcementMode: v.enforcementMode,
    };
  }
  return { ok: true, value: input };
}

function parseNumber(text: string): number | null | 'invalid' {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : 'invalid';
}

/** FIELDS are the form's fields as the errors name them, in the order the form shows them. */
export const FIELDS = [
  'namespace',
  'name',
  'repository.url',
  'repository.ref',
  'prompt',
  'region',
  'budget.maxMonthlyCost',
  'budget.alertThreshold',
  'budget.enforcementMode',
  'policies',
  'strategy',
] as const;
export type Field = (typeof FIELDS)[number];

/**
 * fieldFor names the form field a server error is about. The server names
 * fields by their path in the input or in the claim (`spec.region`,
 * `metadata.name`, `input.budget.maxMonthlyCost`, `policies[0]`); an error it
 * cannot place is shown with the form (null).
 */
export function fieldFor(path: string): Field | null {
  const p = path
    .replace(/^input\./, '')
    .replace(/^(spec|metadata)\./, '')
    .replace(/\[\d+\]|\.\d+(?=\.|$)/g, '');
  return (FIELDS as readonly string[]).find((f) => f === p) as Field | undefined ?? null;
}

/** errorsByField groups errors under the field that shows them; '' holds the form-wide ones. */
export function errorsByField(errors: readonly FieldError[]): Map<Field | '', string[]> {
  const out = new Map<Field | '', string[]>();
  for (const e of errors) {
    const key = fieldFor(e.field) ?? '';
    const message = key === '' && e.field !== '' ? `${e.field}: ${e.message}` : e.message;
    out.set(key, [...(out.get(key) ?? []), message]);
  }
  return out;
}
