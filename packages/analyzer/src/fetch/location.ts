import type { Result } from '@scia/api';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSafeRelativePath } from '../tree/types.js';

/** Location is where a repository lives: a local directory, or a remote Git URL over HTTP(S). */
export type Location = { kind: 'local'; dir: string } | { kind: 'remote'; url: URL };


export interface LocationPolicy {
  /** allowLocal permits local paths (the CLI; functions only with SCIA_ALLOW_LOCAL_REPOS=true). */
  allowLocal: boolean;
  /** allowedHosts may be fetched over plain http and may resolve to private addresses. */
  allowedHosts: readonly string[];
  /** cwd resolves relative local paths. */
  cwd: string;
}

/**
 * locate classifies a repository URL under a policy: https for any host;
 * http only for allowlisted hosts; local paths (absolute, `./relative`, or
 * file://) only when allowed. ssh, credentials in the URL, and anything else are refused.
 */
export function locate(raw: string, policy: LocationPolicy): Result<Location> {
  const url = raw.trim();
  if (url.startsWith('file://') || isAbsolute(url) || url.startsWith('./') || url.startsWith('../') || url === '.') {
    if (!policy.allowLocal) return { ok: false, error: 'local paths are not allowed here (set SCIA_ALLOW_LOCAL_REPOS=true to allow them)' };
    const dir = url.startsWith('file://') ? fileURLToPath(url) : resolve(policy.cwd, url);
    return { ok: true, value: { kind: 'local', dir } };
  }
  if (/^(ssh:\/\/|git@|[\w.-]+@[\w.-]+:)/.test(url)) return { ok: false, error: 'ssh is not supported: use an https URL, with credentials from a Secret for a private repository' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: 'not a URL: use https://host/owner/repo' };
  }
  if (parsed.username !== '' || parsed.password !== '') return { ok: false, error: 'credentials in the URL are not allowed: put them in a Secret' };
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (parsed.protocol === 'https:') return { ok: true, value: { kind: 'remote', url: parsed } };
  if (parsed.protocol === 'http:' && policy.allowedHosts.includes(host)) return { ok: true, value: { kind: 'remote', url: parsed } };
  return { ok: false, error: `scheme ${parsed.protocol.replace(/:$/, '')} is not allowed: use https` };
}

/**
 * checkRepoRef refuses refs and app paths that could reach outside a
 * repository: a ref must look like a Git ref name (no `..`, no leading `/` or
 * `-`, no control characters or spaces), a path must be relative and stay inside.
 */
export function checkRepoRef(ref: string, path: string | undefined): { ok: true } | { ok: false; field: 'ref' | 'path'; error: string } {
  if (!/^[\w@+][\w./@+-]*$/.test(ref) || ref.includes('..') || ref.includes('//') || ref.endsWith('/') || ref.endsWith('.lock')) {
    return { ok: false, field: 'ref', error: 'must be a branch, a tag, HEAD or a commit SHA' };
  }
  if (path !== undefined && path.replace(/^\.\/|\/+$/g, '') !== '' && !isSafeRelativePath(path.replace(/^\.\/|\/+$/g, ''))) {
    return { ok: false, field: 'path', error: 'must be a relative directory inside the repository' };
  }
  return { ok: true };
}
