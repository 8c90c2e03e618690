import type { Logger } from 'pino';

/**
 * StepLogger is what a step logs through: the level methods of the pino
 * Logger every SCIA process builds (see newLogger), which a step is handed.
 */
export type StepLogger = Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;

/**
 * quietLogger discards every line, without loading pino: for steps run
 * in-process by a command that reports their results itself (`scia decide`).
 */
export function quietLogger(): StepLogger {
  const discard = (): void => undefined;
  return { error: discard, warn: discard, info: discard, debug: discard };
}
