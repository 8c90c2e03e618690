import { z } from 'zod';
import { envInteger, envList } from '@scia/api';
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

/**
 * GitEnv is what fetching reads from the environment: one SCIA_GIT_* variable
 * per limit (a positive whole number; unset keeps the default) and
 * SCIA_GIT_ALLOWED_HOSTS, comma-separated host names or addresses exempt from
 * the private-address check.
 */
export const GitEnv = z.object({
  SCIA_GIT_MAX_BYTES: envInteger(DEFAULT_FETCH_LIMITS.maxBytes, { min: 1, unit: 'bytes' }),
  SCIA_GIT_MAX_INFLATED_BYTES: envInteger(DEFAULT_FETCH_LIMITS.maxInflatedBytes, { min: 1, unit: 'bytes' }),
  SCIA_GIT_MAX_FILES: envInteger(DEFAULT_FETCH_LIMITS.maxFiles, { min: 1 }),
  SCIA_GIT_MAX_FILE_BYTES: envInteger(DEFAULT_FETCH_LIMITS.maxFileBytes, { min: 1, unit: 'bytes' }),
  SCIA_GIT_MAX_TOTAL_BYTES: envInteger(DEFAULT_FETCH_LIMITS.maxTotalBytes, { min: 1, unit: 'bytes' }),
  SCIA_GIT_TIMEOUT_MS: envInteger(DEFAULT_FETCH_LIMITS.timeoutMs, { min: 1, unit: 'milliseconds' }),
  SCIA_GIT_MAX_CONCURRENT: envInteger(DEFAULT_FETCH_LIMITS.maxConcurrent, { min: 1 }),
  SCIA_GIT_ALLOWED_HOSTS: envList(),
});
export type GitEnv = z.output<typeof GitEnv>;

/** limitsOf is the fetch limits a parsed GitEnv sets. */
export function limitsOf(env: GitEnv): FetchLimits {
  return {
    maxBytes: env.SCIA_GIT_MAX_BYTES,
    maxInflatedBytes: env.SCIA_GIT_MAX_INFLATED_BYTES,
    maxFiles: env.SCIA_GIT_MAX_FILES,
    maxFileBytes: env.SCIA_GIT_MAX_FILE_BYTES,
    maxTotalBytes: env.SCIA_GIT_MAX_TOTAL_BYTES,
    timeoutMs: env.SCIA_GIT_TIMEOUT_MS,
    maxConcurrent: env.SCIA_GIT_MAX_CONCURRENT,
  };
}
