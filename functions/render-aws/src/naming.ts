import { createHash } from 'node:crypto';
import type { Target } from './model.js';

/** MAX_NAME is the longest metadata.name used: a label value's limit, so names can be selected on. */
const MAX_NAME = 63;

/**
 * resourceName is the metadata.name of the composed resource `key`:
 * `<xr-name>-<key>`. A name that would exceed 63 characters keeps a prefix of
 * the XR name and a 6-character hash of the whole, so it stays unique and stable.
 */
export function resourceName(target: Target, key: string): string {
  return fit(`${target.name}-${key}`, MAX_NAME);
}

/** awsName fits `<xr-name>-<key>` into an AWS name limit (e.g. 32 for load balancers and target groups). */
export function awsName(target: Target, key: string, max: number): string {
  return fit(`${target.name}-${key}`, max);
}

export function fit(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
