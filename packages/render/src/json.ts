import { isObject } from '@scia/api';
import type { JsonObject } from './yaml-io.js';

export { isObject };

/** field reads a nested field, or undefined when any step of the path is missing. */
export function field(value: unknown, ...path: string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** stringField reads a nested string, or '' when it is missing or not a string (as Kubernetes accessors do). */
export function stringField(value: unknown, ...path: string[]): string {
  const v = field(value, ...path);
  return typeof v === 'string' ? v : '';
}

/** objectField reads a nested object, or undefined. */
export function objectField(value: unknown, ...path: string[]): JsonObject | undefined {
  const v = field(value, ...path);
  return isObject(v) ? v : undefined;
}

/** stringMap reads a nested map of strings (labels, annotations), keeping only string values. */
export function stringMap(value: unknown, ...path: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(objectField(value, ...path) ?? {})) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** deepCopy copies JSON data. */
export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}

/** metadataOf returns the object's metadata map, creating it when missing. */
export function metadataOf(obj: JsonObject): JsonObject {
  const meta = obj['metadata'];
  if (isObject(meta)) return meta;
  const created: JsonObject = {};
  obj['metadata'] = created;
  return created;
}

/** setMetadataString sets a metadata string field, removing it when the value is empty (as unstructured setters do). */
export function setMetadataString(obj: JsonObject, key: string, value: string): void {
  if (value !== '') metadataOf(obj)[key] = value;
  else if (isObject(obj['metadata'])) delete obj['metadata'][key];
}

/** addToMap adds entries to a metadata map (labels, annotations), keeping the others. */
export function addToMap(obj: JsonObject, key: 'labels' | 'annotations', entries: Record<string, string>): void {
  const meta = metadataOf(obj);
  meta[key] = { ...stringMap(meta, key), ...entries };
}
