import { redact } from './redact.js';

/**
 * Result is what a call that can fail in an expected way returns, as zod's
 * safeParse does: the value, or an error that says what went wrong. It is the
 * one result type of the project; `E` is a message unless a caller needs more.
 */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

/** ok wraps a value as a successful Result. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** fail wraps an error as a failed Result. */
export function fail<E = string>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/** JsonObject is a plain JSON object, as composed resources and context values travel. */
export type JsonObject = Record<string, unknown>;

/** isObject tells whether `v` is a plain object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * deepFreeze freezes `value` and every object and array under it, in place,
 * and returns it: for a result a memo shares between calls, so that no
 * caller can change what the next one gets. An object already frozen is
 * taken as frozen all the way down and not walked again.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/**
 * errorText is the message of a thrown value, with the message of its cause
 * when it adds one, redacted (see redact): thrown errors quote URLs and
 * connection strings, and their text ends up in results, events and logs.
 */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return redact(String(err));
  const code = (err as { code?: unknown }).code;
  const message = err.message === '' && typeof code === 'string' ? code : err.message;
  const cause = err.cause instanceof Error && !message.includes(err.cause.message) ? `: ${err.cause.message}` : '';
  return redact(`${message}${cause}`);
}
