import { createHash } from 'node:crypto';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import type { GitCredentials } from '@scia/analyzer';

/** DEFAULT_CREDENTIALS is the name of the function credentials read when spec.repository names no Secret. */
export const DEFAULT_CREDENTIALS = 'git';

/**
 * gitCredentials reads Git credentials from the request's function credentials
 * (a Secret the Composition passes): the one named by the claim's
 * credentialsSecretRef, else `git`. Keys: `username` and `password`, or `token`.
 */
export function gitCredentials(req: RunFunctionRequest, secretName: string | undefined): GitCredentials | undefined {
  const creds = (secretName === undefined ? undefined : req.credentials?.[secretName]) ?? req.credentials?.[DEFAULT_CREDENTIALS];
  const data = creds?.credentialData?.data;
  if (data === undefined) return undefined;
  const read = (k: string): string | undefined => {
    const v = data[k];
    return v === undefined || v.length === 0 ? undefined : Buffer.from(v).toString('utf8').trim();
  };
  const out: GitCredentials = {};
  for (const key of ['username', 'password', 'token'] as const) {
    const v = read(key);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** credentialsKey fingerprints credentials for job keys, so two Secrets never share a fetch; never the secret itself. */
export function credentialsKey(c: GitCredentials | undefined): string {
  return c === undefined ? 'anonymous' : createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 12);
}
