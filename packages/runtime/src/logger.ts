import { pino, type Logger } from 'pino';
import { redact } from '@scia/api';

export type { Logger };

/** LogSink is where log lines go: one JSON object per line. */
export interface LogSink {
  write(line: string): void;
}

/**
 * newLogger builds the JSON logger every SCIA process uses. Logs go to stderr
 * (or `sink`) so that commands printing JSON on stdout (`scia analyze --json`)
 * stay parseable. Every line is redacted on its way out (@scia/api's redact:
 * URL userinfo, secret-named fields and parameters, Authorization
 * credentials), whatever a caller or a library put in it.
 */
export function newLogger(opts: { name: string; debug?: boolean; level?: string; sink?: LogSink }): Logger {
  const level = opts.level ?? (opts.debug === true ? 'debug' : 'info');
  const sink = opts.sink ?? pino.destination({ dest: 2, sync: true });
  return pino({ name: opts.name, level, base: { fn: opts.name } }, { write: (line: string) => sink.write(redact(line)) });
}

/** silentLogger discards everything: for in-process functions whose caller reports results itself. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
