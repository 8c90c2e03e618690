import type { JsonObject } from '@scia/api';
import { toJsonSafe } from './response.js';

/** FROZEN holds every object freezeJson made: deep-frozen and JSON-safe from the start, so no one can have changed it since. */
const FROZEN = new WeakSet<object>();

/**
 * freezeJson returns a deep-frozen, JSON-safe copy of `value` (see
 * toJsonSafe), which the kit passes on without copying: setDesiredResource
 * puts it in a response as it is, and the wire encoder writes its bytes once
 * per object and re-uses them. For values a step sends on many calls
 * unchanged (a cached render); writing to it, or anything in it, throws.
 */
export function freezeJson(value: JsonObject): JsonObject {
  const copy = toJsonSafe(value) as JsonObject;
  deepFreeze(copy);
  FROZEN.add(copy);
  return copy;
}

/** isFrozenJson tells whether `value` is an object freezeJson returned (merely frozen objects are not). */
export function isFrozenJson(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && FROZEN.has(value);
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const v of Object.values(value)) deepFreeze(v);
  Object.freeze(value);
}
