import type { z } from 'zod';
import type { Result } from './result.js';

/** formatIssues renders zod issues as `field.path: message` lines, prefixed by `root`. */
export function formatIssues(error: z.ZodError, root = ''): string {
  return error.issues
    .map((issue) => {
      const path = [root, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
        .filter((p) => p !== '')
        .join('.')
        .replace(/\.\[/g, '[');
      return `${path === '' ? '(root)' : path}: ${issue.message}`;
    })
    .join('; ');
}

/** parseAt validates `value` with `schema`, naming failing fields from `root`. */
export function parseAt<S extends z.ZodType>(schema: S, value: unknown, root: string): Result<z.infer<S>> {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: formatIssues(parsed.error, root) };
}
