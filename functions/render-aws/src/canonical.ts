import type { JsonObject } from '@scia/runtime';

/** sortKeys returns a copy of a JSON value with every object's keys in code-point order, so output is byte-stable. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as JsonObject)[key]);
  return out;
}
