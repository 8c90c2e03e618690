import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { z } from 'zod';
import { parseAt, type Result } from '@scia/api';
import { FieldMemo } from './field-memo.js';
import { warning } from './response.js';

/**
 * frozenCopy returns a deep copy of `value` made of plain objects and arrays
 * (keys, their order and undefined fields kept), frozen: for what a FieldMemo
 * derives, so that it shares nothing with the request it came from and no
 * caller can change what the next call gets. Other objects are kept as they are.
 */
export function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map((v: unknown) => frozenCopy(v))) as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = frozenCopy((value as Record<string, unknown>)[k]);
  return Object.freeze(out) as T;
}

/**
 * ContextMemo reads context `key` as readContext does (absent: undefined;
 * invalid: a Warning `cannot read context[key]: field: problem; <then>`,
 * reason ContextInvalid, and undefined), validated with `schema` once per
 * distinct value (see FieldMemo): a steady reconcile passing the same value,
 * its map entries in any order, neither decodes nor validates it again. The
 * value returned is deep-frozen (frozenCopy), the same object for the same value.
 */
export class ContextMemo<S extends z.ZodType> {
  readonly #memo: FieldMemo<Result<z.output<S>> | undefined>;

  constructor(readonly key: string, schema: S) {
    this.#memo = new FieldMemo((value) => (value === undefined || value === null ? undefined : frozenCopy(parseAt(schema, value, `context[${key}]`))));
  }

  /**
   * read returns the request's context value at `key`, validated; `then` says
   * how the step goes on without an invalid one. With a `slot` (see
   * FieldMemo.atSlot), the value is compared first with the one read for it last.
   */
  read(req: RunFunctionRequest, rsp: RunFunctionResponse, then: string, slot?: string): z.output<S> | undefined {
    const parsed = slot === undefined ? this.#memo.at(req.context, this.key) : this.#memo.atSlot(slot, req.context, this.key);
    if (parsed === undefined) return undefined;
    if (parsed.ok) return parsed.value;
    warning(rsp, `cannot read ${parsed.error}; ${then}`, { reason: 'ContextInvalid', claim: true });
    return undefined;
  }
}
