import { z } from 'zod';
import { clockFromEnv, type Clock } from './clock.js';
import type { Result } from './result.js';

/**
 * Env is the environment a process was started with, or one a caller builds
 * (the CLI passes an explicit object; nothing writes to process.env).
 */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * envInteger is an optional whole-number variable: unset means `fallback`;
 * anything else must be digits (after trimming) within [min, max]. An empty
 * string is an error, never a silent 0.
 */
export function envInteger(fallback: number, opts: { min?: number; max?: number; unit?: string } = {}) {
  const min = opts.min ?? 0;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const what = `a whole number${opts.unit === undefined ? '' : ` of ${opts.unit}`} from ${min} to ${max}`;
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const text = raw.trim();
      const n = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message: `must be ${what}, not ${JSON.stringify(raw)}` });
      return z.NEVER;
    });
}

/** envFlag is an optional `true`/`false` variable; unset means `fallback`. */
export function envFlag(fallback: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const text = raw.trim().toLowerCase();
      if (text === 'true' || text === 'false') return text === 'true';
      ctx.addIssue({ code: 'custom', message: `must be true or false, not ${JSON.stringify(raw)}` });
      return z.NEVER;
    });
}

/** envText is an optional text variable, trimmed; unset or blank means undefined. */
export function envText() {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));
}

/**
 * envUrl is an optional http(s) URL variable; unset or blank means undefined.
 * A value that is not one is an error that does not quote it: a URL may carry
 * a password.
 */
export function envUrl(example: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const text = raw.trim();
      let protocol = '';
      try {
        protocol = new URL(text).protocol;
      } catch {
        protocol = '';
      }
      if (protocol === 'http:' || protocol === 'https:') return text;
      ctx.addIssue({ code: 'custom', message: `must be an http or https URL such as ${example}` });
      return z.NEVER;
    });
}

/** envChoice is an optional variable taking one of `choices`; unset or blank means `fallback`. */
export function envChoice<const C extends readonly [string, ...string[]]>(choices: C, fallback: C[number]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): C[number] => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const text = raw.trim();
      if ((choices as readonly string[]).includes(text)) return text;
      ctx.addIssue({ code: 'custom', message: `must be one of ${choices.join(', ')}, not ${JSON.stringify(raw)}` });
      return z.NEVER;
    });
}

/** envList is an optional comma-separated variable, each item trimmed and lower-cased, blanks dropped. */
export function envList() {
  return z
    .string()
    .optional()
    .transform((raw) => (raw ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== ''));
}

/** envClock is SCIA_NOW's reading: a fixed clock at an RFC 3339 time, else the system clock. */
export function envClock() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): Clock => {
      try {
        return clockFromEnv({ SCIA_NOW: raw });
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be an RFC 3339 time such as 2026-01-01T00:00:00Z, not ${JSON.stringify(raw)}` });
        return z.NEVER;
      }
    });
}

/** DEFAULT_CALL_BUDGET_MS is how long one call waits for slow work before answering a pending phase. */
export const DEFAULT_CALL_BUDGET_MS = 3000;

/**
 * CallEnv is what every step that waits on slow work reads: SCIA_CALL_BUDGET_MS
 * (1 ms to 10 minutes) and SCIA_NOW.
 */
export const CallEnv = z.object({
  SCIA_CALL_BUDGET_MS: envInteger(DEFAULT_CALL_BUDGET_MS, { min: 1, max: 600_000, unit: 'milliseconds' }),
  SCIA_NOW: envClock(),
});
export type CallEnv = z.output<typeof CallEnv>;

/**
 * parseEnv reads `env` with `schema` (an object of variables), or says which
 * variables are wrong and why, one per line-part: `SCIA_CALL_BUDGET_MS: must be
 * a whole number of milliseconds from 1 to 600000, not "abc"`.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): Result<z.output<S>> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
  return { ok: false, error: `invalid environment: ${problems.join('; ')}` };
}
