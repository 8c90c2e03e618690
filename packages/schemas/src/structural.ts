import { isObject } from '@scia/api';
import type { JsonSchema } from './crd-index.js';

const EMBEDDED_FIELDS: Record<string, JsonSchema> = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object' },
};

/**
 * strictSchema returns a copy of a CRD's structural schema that ajv can check
 * the way the API server reads it, with one deliberate difference: an object
 * that lists its properties rejects fields it does not list (the API server
 * prunes them silently, which hides a misspelt field until the resource
 * misbehaves), unless it says `x-kubernetes-preserve-unknown-fields`.
 * `x-kubernetes-int-or-string` becomes an integer-or-string anyOf, and an
 * embedded resource accepts apiVersion, kind and metadata.
 */
export function strictSchema(schema: JsonSchema, unknownFields: 'error' | 'ignore' = 'error'): JsonSchema {
  return rewrite(schema, unknownFields);
}

function rewrite(node: JsonSchema, unknownFields: 'error' | 'ignore'): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'x-kubernetes-validations') continue;
    out[key] = rewriteChild(key, value, unknownFields);
  }
  if (node['x-kubernetes-int-or-string'] === true && out['anyOf'] === undefined && out['type'] === undefined) {
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    out['properties'] = { ...EMBEDDED_FIELDS, ...(isObject(out['properties']) ? out['properties'] : {}) };
  }
  const closed =
    unknownFields === 'error' &&
    isObject(out['properties']) &&
    out['additionalProperties'] === undefined &&
    node['x-kubernetes-preserve-unknown-fields'] !== true;
  if (closed) out['additionalProperties'] = false;
  return out;
}

function rewriteChild(key: string, value: unknown, unknownFields: 'error' | 'ignore'): unknown {
  if ((key === 'properties' || key === 'patternProperties' || key === 'definitions') && isObject(value)) {
    const props: JsonSchema = {};
    for (const [name, sub] of Object.entries(value)) props[name] = isObject(sub) ? rewrite(sub, unknownFields) : sub;
    return props;
  }
  if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) return rewrite(value, unknownFields);
  if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
    return value.map((sub: unknown) => (isObject(sub) ? rewrite(sub, unknownFields) : sub));
  }
  return value;
}
