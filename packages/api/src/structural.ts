import type { Result } from './result.js';
import { z } from 'zod';

/** JsonValue is a value that survives a JSON round trip. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** CelRule is one entry of `x-kubernetes-validations`. */
export interface CelRule {
  rule: string;
  message: string;
  fieldPath?: string;
}

/**
 * StructuralSchema is the subset of OpenAPI v3 that a Kubernetes CRD accepts
 * as a structural schema: every node has a type, no `anyOf` of types, no
 * `$schema`, no `additionalProperties: false`.
 */
export interface StructuralSchema {
  type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  additionalProperties?: StructuralSchema;
  maxProperties?: number;
  items?: StructuralSchema;
  minItems?: number;
  maxItems?: number;
  enum?: Array<string | number | boolean>;
  default?: JsonValue;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  nullable?: boolean;
  'x-kubernetes-validations'?: CelRule[];
}

type Node = Record<string, unknown>;

const TYPES = new Set<StructuralSchema['type']>(['object', 'array', 'string', 'integer', 'number', 'boolean']);
/** Keys copied as they are when present. */
const NUMERIC_KEYS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'maxProperties'] as const;
/** Keys zod emits that a structural schema does without. */
const DROPPED_KEYS = new Set(['$schema', 'propertyNames', 'id', '$id', 'title']);
/** zod bounds every integer to the safe range; Kubernetes integers are int64, so those bounds say nothing. */
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * toStructuralSchema converts a zod schema, as a claim writes it (zod's input
 * side: fields with defaults are optional and carry their `default`), into a
 * Kubernetes structural schema. Refinements are not representable in JSON
 * Schema: add them as CEL rules with `withCelRules`.
 */
export function toStructuralSchema(schema: z.ZodType): Result<StructuralSchema> {
  let json: unknown;
  try {
    json = z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'throw' });
  } catch (err) {
    return { ok: false, error: `cannot convert schema to JSON Schema: ${(err as Error).message}` };
  }
  const errors: string[] = [];
  const value = convert(json, '', errors);
  return errors.length === 0 ? { ok: true, value } : { ok: false, error: errors.join('; ') };
}

function convert(json: unknown, at: string, errors: string[]): StructuralSchema {
  if (!isNode(json)) {
    errors.push(`${at || '/'}: not a schema object`);
    return { type: 'object' };
  }
  const node = flattenAnyOf(json, at, errors);
  if (node === undefined) return { type: 'object' };
  const type = node['type'];
  if (typeof type !== 'string' || !TYPES.has(type as StructuralSchema['type'])) {
    errors.push(`${at || '/'}: unsupported type ${JSON.stringify(type)}`);
    return { type: 'object' };
  }
  const out: StructuralSchema = { type: type as StructuralSchema['type'] };
  copyScalars(node, out);
  copyChildren(node, out, at, errors);
  for (const key of Object.keys(node)) {
    if (!KNOWN_KEYS.has(key) && !DROPPED_KEYS.has(key)) errors.push(`${at || '/'}: unsupported keyword ${key}`);
  }
  return out;
}

const KNOWN_KEYS = new Set([
  'type', 'description', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'default',
  'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'nullable', 'anyOf',
  ...NUMERIC_KEYS,
]);

function copyScalars(node: Node, out: StructuralSchema): void {
  if (typeof node['description'] === 'string') out.description = node['description'];
  if (typeof node['format'] === 'string') out.format = node['format'];
  if (typeof node['pattern'] === 'string') out.pattern = node['pattern'];
  for (const key of NUMERIC_KEYS) {
    const v = node[key];
    if (typeof v === 'number') out[key] = v;
  }
  copyBounds(node, out);
  const values = Array.isArray(node['enum']) ? node['enum'] : 'const' in node ? [node['const']] : undefined;
  if (values !== undefined) out.enum = values.filter(isEnumValue);
  if ('default' in node) out.default = node['default'] as JsonValue;
  if (node['nullable'] === true) out.nullable = true;
}

function copyBounds(node: Node, out: StructuralSchema): void {
  const min = node['minimum'];
  const max = node['maximum'];
  if (typeof min === 'number' && min > -SAFE) out.minimum = min;
  if (typeof max === 'number' && max < SAFE) out.maximum = max;
  // openapi-3.0 writes exclusive bounds as booleans beside minimum/maximum; newer drafts as numbers.
  const exMin = node['exclusiveMinimum'];
  const exMax = node['exclusiveMaximum'];
  if (exMin === true) out.exclusiveMinimum = true;
  if (typeof exMin === 'number') Object.assign(out, { minimum: exMin, exclusiveMinimum: true });
  if (exMax === true) out.exclusiveMaximum = true;
  if (typeof exMax === 'number') Object.assign(out, { maximum: exMax, exclusiveMaximum: true });
}

function copyChildren(node: Node, out: StructuralSchema, at: string, errors: string[]): void {
  const props = node['properties'];
  if (isNode(props)) {
    out.properties = {};
    for (const [name, child] of Object.entries(props)) out.properties[name] = convert(child, `${at}/${name}`, errors);
  }
  const required = node['required'];
  if (Array.isArray(required) && required.length > 0) out.required = required.filter((r) => typeof r === 'string');
  const extra = node['additionalProperties'];
  // `false` is what zod writes for a closed object; Kubernetes prunes unknown fields instead.
  if (isNode(extra)) out.additionalProperties = convert(extra, `${at}/*`, errors);
  if (out.properties !== undefined && out.additionalProperties !== undefined) {
    errors.push(`${at || '/'}: an object with both properties and additionalProperties has no structural schema`);
  }
  if ('items' in node) out.items = convert(node['items'], `${at}[]`, errors);
}

/**
 * flattenAnyOf folds the unions zod writes for nullables and for unions of
 * literals into one node; any other union has no structural form.
 */
function flattenAnyOf(node: Node, at: string, errors: string[]): Node | undefined {
  const anyOf = node['anyOf'];
  if (!Array.isArray(anyOf)) return node;
  const { anyOf: _, ...rest } = node;
  const branches = anyOf.filter(isNode);
  const nonNull = branches.filter((b) => b['type'] !== 'null');
  const nullable = nonNull.length < branches.length || branches.some((b) => b['nullable'] === true);
  const single = nonNull.length === 1 ? nonNull[0] : undefined;
  const merged = single ?? mergeEnums(nonNull);
  if (merged === undefined) {
    errors.push(`${at || '/'}: a union of different shapes has no structural schema`);
    return undefined;
  }
  return { ...merged, ...rest, ...(nullable ? { nullable: true } : {}) };
}

function mergeEnums(branches: Node[]): Node | undefined {
  const type = branches[0]?.['type'];
  if (type === undefined || !branches.every((b) => b['type'] === type && (Array.isArray(b['enum']) || 'const' in b))) {
    return undefined;
  }
  const values = branches.flatMap((b) => (Array.isArray(b['enum']) ? (b['enum'] as unknown[]) : [b['const']]));
  return { type, enum: values };
}

/** withCelRules returns `schema` with `rules` attached at the object found by following `path`. */
export function withCelRules(schema: StructuralSchema, path: readonly string[], rules: CelRule[]): Result<StructuralSchema> {
  if (path.length === 0) {
    return { ok: true, value: { ...schema, 'x-kubernetes-validations': [...(schema['x-kubernetes-validations'] ?? []), ...rules] } };
  }
  const [head, ...tail] = path as [string, ...string[]];
  const child = schema.properties?.[head];
  if (child === undefined) return { ok: false, error: `cannot attach CEL rules: no property ${head}` };
  const updated = withCelRules(child, tail, rules);
  if (!updated.ok) return updated;
  return { ok: true, value: { ...schema, properties: { ...schema.properties, [head]: updated.value } } };
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEnumValue(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
