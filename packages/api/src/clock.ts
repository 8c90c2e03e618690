/** Clock tells the time; steps take one in their deps so tests and golden renders control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * clockFromEnv is a clock fixed at `SCIA_NOW` (RFC 3339) when it is set, for
 * reproducible renders, else the system clock. A value that is not a time is an
 * error naming it, rather than a clock that silently runs.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const fixed = env['SCIA_NOW'];
  if (fixed === undefined || fixed === '') return systemClock;
  const at = Date.parse(fixed);
  if (Number.isNaN(at)) throw new Error(`cannot parse SCIA_NOW ${JSON.stringify(fixed)}: want an RFC 3339 time such as 2026-01-01T00:00:00Z`);
  return { now: () => new Date(at) };
}
