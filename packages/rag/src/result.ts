import { errorText, fail, ok, type Result } from '@scia/api';

/** attempt runs `fn`, turning a thrown error into a failed Result whose message starts with `what`. */
export async function attempt<T>(what: string, fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (err) {
    return fail(`${what}: ${errorText(err)}`);
  }
}
