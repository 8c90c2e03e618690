import { Environment } from '@marcbachmann/cel-js';
import { isObject } from '@scia/api';
import type { JsonSchema } from './crd-index.js';

type Program = (ctx: Record<string, unknown>) => unknown;
type Compiled = { ok: true; program: Program } | { ok: false; reason: string };

/** CelFindings are the outcome of evaluating a resource's CEL rules. */
export interface CelFindings {
  errors: string[];
  /** skipped lists rules that could not be compiled here, so were not evaluated. */
  skipped: string[];
}

interface Rule {
  rule: string;
  message?: string;
  fieldPath?: string;
}

const env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable('self', 'dyn');
const compiled = new Map<string, Compiled>();

/**
 * evaluateRules evaluates every `x-kubernetes-validations` rule of `schema`
 * against `data`, at each node where data is present (as the API server does
 * on create), with `self` bound to that node. Transition rules (those reading
 * `oldSelf`) are not evaluated: on create the API server skips them too.
 * Integers are passed as CEL ints where the schema says integer.
 */
export function evaluateRules(schema: JsonSchema, data: unknown, path = ''): CelFindings {
  const findings: CelFindings = { errors: [], skipped: [] };
  walk(schema, data, path, findings);
  return findings;
}

function walk(schema: JsonSchema, data: unknown, path: string, out: CelFindings): void {
  if (data === undefined) return;
  const rules = schema['x-kubernetes-validations'];
  if (Array.isArray(rules)) {
    for (const r of rules) if (isRule(r)) check(r, schema, data, path, out);
  }
  const props = schema['properties'];
  if (isObject(data) && isObject(props)) {
    for (const [name, sub] of Object.entries(props)) {
      if (isObject(sub)) walk(sub, data[name], join(path, name), out);
    }
  }
  const extra = schema['additionalProperties'];
  if (isObject(data) && isObject(extra) && !isObject(props)) {
    for (const [name, value] of Object.entries(data)) walk(extra, value, join(path, name), out);
  }
  const items = schema['items'];
  if (Array.isArray(data) && isObject(items)) data.forEach((value, i) => walk(items, value, `${path}[${i}]`, out));
}

function check(r: Rule, schema: JsonSchema, data: unknown, path: string, out: CelFindings): void {
  if (/\boldSelf\b/.test(r.rule)) return;
  const where = (r.fieldPath === undefined ? path : path + r.fieldPath.replace(/^(?!\.)/, '.')).replace(/^\./, '') || '(root)';
  const c = compile(r.rule);
  if (!c.ok) {
    out.skipped.push(`${where}: rule ${JSON.stringify(r.rule)} not evaluated: ${c.reason}`);
    return;
  }
  try {
    const result = c.program({ self: toCel(data, schema) });
    if (result !== true) out.errors.push(`${where}: ${r.message ?? `failed rule: ${r.rule}`}`);
  } catch (err) {
    const summary = (err as { summary?: unknown }).summary;
    const reason = typeof summary === 'string' ? summary : (err as Error).message;
    out.errors.push(`${where}: cannot evaluate rule ${JSON.stringify(r.rule)}: ${reason}`);
  }
}

function compile(rule: string): Compiled {
  let c = compiled.get(rule);
  if (c === undefined) {
    c = compileUncached(rule);
    compiled.set(rule, c);
  }
  return c;
}

function compileUncached(rule: string): Compiled {
  try {
    const checked = env.check(rule);
    if (!checked.valid) return { ok: false, reason: checked.error?.message.split('\n')[0] ?? 'does not type-check' };
    const program = env.parse(rule);
    return { ok: true, program: (ctx) => program(ctx) as unknown };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.split('\n')[0] ?? 'cannot parse' };
  }
}

/** toCel converts JSON to CEL values: integers become BigInt where the schema says integer. */
function toCel(data: unknown, schema: JsonSchema | undefined): unknown {
  if (schema === undefined) return data;
  if (typeof data === 'number') {
    const intLike = schema['type'] === 'integer' || schema['x-kubernetes-int-or-string'] === true;
    return intLike && Number.isInteger(data) ? BigInt(data) : data;
  }
  if (Array.isArray(data)) {
    const items = isObject(schema['items']) ? schema['items'] : undefined;
    return data.map((v) => toCel(v, items));
  }
  if (isObject(data)) {
    const props = isObject(schema['properties']) ? schema['properties'] : undefined;
    const extra = isObject(schema['additionalProperties']) ? schema['additionalProperties'] : undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) {
      const sub = props?.[k];
      out[k] = toCel(v, isObject(sub) ? sub : extra);
    }
    return out;
  }
  return data;
}

function isRule(v: unknown): v is Rule {
  return isObject(v) && typeof v['rule'] === 'string';
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
