import { createHash } from 'node:crypto';
import type { Target } from './model.js';

/** MAX_NAME is the longest metadata.name used: a label value's limit, so names can be selected on. */
const MAX_NAME = 63;

/**
 * resourceName is the metadata.name of the composed resource `key`:
 * `<xr-name>-<key>`. When that would exceed 63 characters the XR name is cut
 * and a 6-character hash of the whole inserted (`<xr-prefix>-<hash>-<key>`),
 * so the name stays unique, stable and still ends with its key.
 */
export function resourceName(target: Target, key: string): string {
  return fitKeyed(target.name, key, MAX_NAME);
}

/** awsName fits `<xr-name>-<key>` into an AWS name limit (e.g. 32 for load balancers and target groups). */
export function awsName(target: Target, key: string, max: number): string {
  return fitKeyed(target.name, key, max);
}

function fitKeyed(base: string, key: string, max: number): string {
  const whole = `${base}-${key}`;
  if (whole.length <= max) return whole;
  const hash = createHash('sha256').update(whole).digest('hex').slice(0, 6);
  return `${base.slice(0, Math.max(1, max - key.length - hash.length - 2)).replace(/-+$/, '')}-${hash}-${key}`;
}

/** fit cuts `name` to `max` characters, ending it with a hash of the whole when cut. */
export function fit(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
