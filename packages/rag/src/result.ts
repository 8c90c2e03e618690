import { redact } from '@scia/api';

/** Result is what library calls that can fail in expected ways return. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/**
 * fail is a failed Result. Its message is redacted: failures become Warnings,
 * hence Kubernetes events, and database errors may quote a connection string.
 */
export function fail<T = never>(error: string): Result<T> {
  return { ok: false, error: redact(error) };
}

/** errorText is the message of a thrown value, with the message of its cause when it adds one, redacted. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return redact(String(err));
  const code = (err as { code?: unknown }).code;
  const message = err.message === '' && typeof code === 'string' ? code : err.message;
  const cause = err.cause instanceof Error && !message.includes(err.cause.message) ? `: ${err.cause.message}` : '';
  return redact(`${message}${cause}`);
}

/** attempt runs `fn`, turning a thrown error into a failed Result whose message starts with `what`. */
export async function attempt<T>(what: string, fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (err) {
    return fail(`${what}: ${errorText(err)}`);
  }
}

/**
 * withinBudget is `work`'s result, or a failed Result once `ms` have passed
 * without one; the work itself goes on, and its late result is dropped.
 */
export async function withinBudget<T>(work: Promise<Result<T>>, ms: number): Promise<Result<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Result<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `the store did not answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
