/** FetchLimits bound what fetching and reading a repository may cost. */
export interface FetchLimits {
  /** maxBytes caps the bytes received from the Git server (the packfile and ref advertisement). */
  maxBytes: number;
  /** maxInflatedBytes caps the bytes the fetched objects inflate to, counted as the pack streams in. */
  maxInflatedBytes: number;
  /** maxFiles caps the files listed in the tree. */
  maxFiles: number;
  /** maxFileBytes is the largest file read; larger ones are listed with their size only. */
  maxFileBytes: number;
  /** maxTotalBytes caps the file content kept in memory after a fetch. */
  maxTotalBytes: number;
  /** timeoutMs caps a resolve or a fetch, from the first request to the last byte. */
  timeoutMs: number;
  /** maxConcurrent caps the fetches (and analyses) one process runs at a time; the rest wait their turn. */
  maxConcurrent: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  maxBytes: 100 * 1024 * 1024,
  maxInflatedBytes: 256 * 1024 * 1024,
  maxFiles: 20_000,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  timeoutMs: 60_000,
  maxConcurrent: 2,
};

const ENV: Record<keyof FetchLimits, string> = {
  maxBytes: 'SCIA_GIT_MAX_BYTES',
  maxInflatedBytes: 'SCIA_GIT_MAX_INFLATED_BYTES',
  maxFiles: 'SCIA_GIT_MAX_FILES',
  maxFileBytes: 'SCIA_GIT_MAX_FILE_BYTES',
  maxTotalBytes: 'SCIA_GIT_MAX_TOTAL_BYTES',
  timeoutMs: 'SCIA_GIT_TIMEOUT_MS',
  maxConcurrent: 'SCIA_GIT_MAX_CONCURRENT',
};

/** limitsFromEnv reads each limit from its SCIA_GIT_* variable, keeping the default when unset or not a positive integer. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): FetchLimits {
  const out = { ...DEFAULT_FETCH_LIMITS };
  for (const key of Object.keys(ENV) as (keyof FetchLimits)[]) {
    const n = Number(env[ENV[key]]);
    if (Number.isInteger(n) && n > 0) out[key] = n;
  }
  return out;
}

/** allowedHostsFromEnv reads SCIA_GIT_ALLOWED_HOSTS: comma-separated host names or addresses exempt from the private-address check. */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env['SCIA_GIT_ALLOWED_HOSTS'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}
