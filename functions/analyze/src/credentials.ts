import { createHash } from 'node:crypto';
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { RequiredName, isObject, type JsonObject, type Repository } from '@scia/api';
import type { GitCredentials } from '@scia/analyzer';
import { getRequiredResource, requireResource, teamScope } from '@scia/runtime/step';
import type { z } from 'zod';

/** DEFAULT_CREDENTIALS is the platform's function credential (a Secret the Composition passes), for claims that name no Secret. */
export const DEFAULT_CREDENTIALS = 'git';

/** KEYS are the keys read from a Git credentials Secret: `username` and `password`, or `token`. */
const KEYS = ['username', 'password', 'token'] as const;

/**
 * GitCredentialsRead is what the step may clone with: credentials (or none:
 * anonymous), `pending` while Crossplane has not answered the Secret
 * requirement, or `missing` when the claim's Secret does not exist (yet).
 * A reference the claim may not make is an error instead.
 */
export type GitCredentialsRead = { kind: 'credentials'; value: GitCredentials | undefined } | { kind: 'pending' } | { kind: 'missing'; secret: string };

/**
 * gitCredentials resolves the Git credentials of a claim. A claim's
 * `spec.repository.credentialsSecretRef` names a Secret in the claim's own
 * namespace, read through Crossplane's required resources (the function
 * makes no API call); a namespace other than the claim's is refused, so no
 * team can borrow another's Secret or the platform's. A claim that names
 * none uses the platform's function credential `git` when `allowPlatform`,
 * else clones anonymously. Values never leave this function but in the
 * returned credentials: never in a message, status or log.
 */
export function gitCredentials(
  req: RunFunctionRequest,
  rsp: RunFunctionResponse,
  xr: JsonObject,
  ref: z.infer<typeof Repository>['credentialsSecretRef'],
  allowPlatform: boolean,
): { ok: true; value: GitCredentialsRead } | { ok: false; error: string } {
  if (ref === undefined) {
    const platform = allowPlatform ? fromData(decodedCredentials(req)) : undefined;
    return { ok: true, value: { kind: 'credentials', value: platform } };
  }
  const scope = teamScope(xr);
  if (scope === undefined) return { ok: false, error: 'spec.repository.credentialsSecretRef: the claim has no namespace to read its Secret from' };
  if (ref.namespace !== undefined && ref.namespace !== scope.namespace) {
    return { ok: false, error: `spec.repository.credentialsSecretRef.namespace: ${ref.namespace} is not the claim's namespace ${scope.namespace}; a claim may only name a Secret of its own namespace` };
  }
  requireResource(rsp, RequiredName.gitSecret, { apiVersion: 'v1', kind: 'Secret', matchName: ref.name, namespace: scope.namespace });
  const [items, resolved] = getRequiredResource(req, RequiredName.gitSecret);
  if (!resolved) return { ok: true, value: { kind: 'pending' } };
  const secret = items[0]?.resource;
  if (secret === undefined) return { ok: true, value: { kind: 'missing', secret: `${scope.namespace}/${ref.name}` } };
  return { ok: true, value: { kind: 'credentials', value: fromData(secretData(secret)) } };
}

/** decodedCredentials reads the platform's function credential `git` (raw bytes per key). */
function decodedCredentials(req: RunFunctionRequest): Record<string, string> {
  const data = req.credentials?.[DEFAULT_CREDENTIALS]?.credentialData?.data ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
}

/** secretData reads a Secret's `data` (base64, as the API server serves it). */
function secretData(secret: JsonObject): Record<string, string> {
  const data = isObject(secret['data']) ? secret['data'] : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

function fromData(data: Record<string, string>): GitCredentials | undefined {
  const out: GitCredentials = {};
  for (const key of KEYS) {
    const v = data[key]?.trim();
    if (v !== undefined && v.length > 0) out[key] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** credentialsKey fingerprints credentials for job keys, so two Secrets never share a fetch; never the secret itself. */
export function credentialsKey(c: GitCredentials | undefined): string {
  return c === undefined ? 'anonymous' : createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 12);
}
