import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * newLogger builds the JSON logger every SCIA process uses. Logs go to stderr so
 * that commands printing JSON on stdout (`scia analyze --json`) stay parseable.
 */
export function newLogger(opts: { name: string; debug?: boolean; level?: string }): Logger {
  const level = opts.level ?? (opts.debug === true ? 'debug' : 'info');
  return pino({ name: opts.name, level, base: { fn: opts.name } }, pino.destination({ dest: 2, sync: true }));
}

/** silentLogger discards everything: for in-process functions whose caller reports results itself. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
