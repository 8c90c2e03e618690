import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { z } from 'zod';
import { parseAt, type Result } from '@scia/api';
import { fieldIdentity } from './field-identity.js';
import { warning } from './response.js';

/** plainFrozen returns a deep copy of `value` made of plain objects and arrays, frozen, sharing nothing with what a request decoded. */
function plainFrozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map((v: unknown) => plainFrozen(v))) as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = plainFrozen((value as Record<string, unknown>)[k]);
  return Object.freeze(out) as T;
}

/**
 * FieldMemo keeps what `parse` made of the last `max` distinct values of a
 * field (by fieldIdentity): a reconcile that sends the same value again, its
 * map entries in any order, gets the same result without the field being
 * decoded or parsed. Results are deep-frozen copies, the same object for the
 * same value: callers may key further memos on them, and must not change them.
 * `parse` must depend on the field's value alone.
 */
export class FieldMemo<T> {
  readonly #results = new Map<string, T>();

  constructor(readonly max = 64) {}

  /** read returns parse(obj[key]), parsed once per distinct value while the field is undecoded (see fieldIdentity). */
  read(obj: unknown, key: string, parse: (value: unknown) => T): T {
    const id = fieldIdentity(obj, key);
    if (id !== undefined) {
      const hit = this.#results.get(id);
      if (hit !== undefined || this.#results.has(id)) return hit as T;
    }
    const raw: unknown = typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
    const parsed = parse(raw);
    if (id === undefined) return parsed;
    const kept = plainFrozen(parsed);
    if (this.#results.size >= this.max) this.#results.delete(this.#results.keys().next().value as string);
    this.#results.set(id, kept);
    return kept;
  }

  /** size is how many results it keeps. */
  get size(): number {
    return this.#results.size;
  }
}

/**
 * readContextOnce is readContext (same results and Warning) with the parse
 * kept in `memo`: the context value at `key`, validated by `schema`, read and
 * validated once per distinct value. The value returned is deep-frozen.
 */
export function readContextOnce<S extends z.ZodType>(
  memo: FieldMemo<Result<z.output<S>> | undefined>,
  req: RunFunctionRequest,
  rsp: RunFunctionResponse,
  key: string,
  schema: S,
  then: string,
): z.output<S> | undefined {
  const parsed = memo.read(req.context, key, (value) => (value === undefined || value === null ? undefined : parseAt(schema, value, `context[${key}]`)));
  if (parsed === undefined) return undefined;
  if (parsed.ok) return parsed.value;
  warning(rsp, `cannot read ${parsed.error}; ${then}`, { reason: 'ContextInvalid', claim: true });
  return undefined;
}
