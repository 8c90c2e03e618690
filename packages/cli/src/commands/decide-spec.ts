import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Api, type Result } from '@scia/api';
import type { Io } from '../command.js';

/** DecideFlags are the flags of `scia decide` that shape the claim. */
export interface DecideFlags {
  repo?: string | undefined;
  ref?: string | undefined;
  prompt?: string | undefined;
  region?: string | undefined;
  budget?: string | undefined;
  enforcement?: string | undefined;
  strategy?: string | undefined;
  policy?: string[] | undefined;
  image?: string | undefined;
}

/** buildSpec reads the claim's spec (when a file is given) and applies the flags over it. */
export async function buildSpec(file: string | undefined, v: DecideFlags, io: Io): Promise<Result<Record<string, unknown>>> {
  const base = file === undefined ? { ok: true as const, value: {} } : await readClaimSpec(resolve(io.cwd, file));
  if (!base.ok) return base;
  const spec: Record<string, unknown> = { region: 'us-east-1', ...base.value };
  if (v.repo !== undefined) spec['repository'] = { url: v.repo, ...(v.ref === undefined ? {} : { ref: v.ref }) };
  const repo = spec['repository'];
  if (typeof repo === 'object' && repo !== null && 'url' in repo && typeof repo.url === 'string') {
    // A bare relative directory is a local path; anything with a scheme is a URL.
    const local = !repo.url.includes('://') && existsSync(resolve(io.cwd, repo.url));
    spec['repository'] = { ...repo, url: local ? resolve(io.cwd, repo.url) : repo.url };
  }
  if (v.prompt !== undefined) spec['prompt'] = v.prompt;
  if (v.region !== undefined) spec['region'] = v.region;
  if (v.strategy !== undefined) spec['strategy'] = v.strategy;
  if (v.image !== undefined) spec['artifact'] = { image: v.image };
  if (v.policy !== undefined) {
    // The decider loads here only when a policy is named; otherwise with the decide step.
    const { parsePolicies } = await import('@scia/decider');
    const policies = parsePolicies(v.policy, '--policy');
    if (!policies.ok) return policies;
    spec['policies'] = policies.value;
  }
  if (v.budget !== undefined || v.enforcement !== undefined) {
    const budget = Number(v.budget);
    if (v.budget !== undefined && !Number.isFinite(budget)) return { ok: false, error: `--budget: ${JSON.stringify(v.budget)} is not a number` };
    const prior = typeof spec['budget'] === 'object' && spec['budget'] !== null ? spec['budget'] : {};
    spec['budget'] = { ...prior, ...(v.budget === undefined ? {} : { maxMonthlyCost: budget }), ...(v.enforcement === undefined ? {} : { enforcementMode: v.enforcement }) };
  }
  return { ok: true, value: spec };
}

async function readClaimSpec(file: string): Promise<Result<Record<string, unknown>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read ${file}: ${(err as Error).message}` };
  }
  const { parseYamlStream } = await import('@scia/render');
  const docs = parseYamlStream(text);
  if (!docs.ok) return { ok: false, error: `cannot parse ${file}: ${docs.error}` };
  for (const doc of docs.value) {
    if (typeof doc !== 'object' || doc === null || !('kind' in doc)) continue;
    if (doc.kind !== Api.claimKind && doc.kind !== Api.compositeKind) continue;
    const spec = 'spec' in doc ? doc.spec : undefined;
    if (typeof spec === 'object' && spec !== null) return { ok: true, value: { ...spec } };
  }
  return { ok: false, error: `cannot find a ${Api.claimKind} or ${Api.compositeKind} with a spec in ${file}` };
}
