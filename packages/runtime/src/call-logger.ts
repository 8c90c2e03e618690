import type { Logger } from 'pino';
import type { StepLogger } from './step-logger.js';

type Level = 'error' | 'warn' | 'info' | 'debug';

/**
 * CallLogger is what one call's step logs through: `parent` with `bindings`
 * on every line, exactly as `parent.child(bindings)` writes them. It builds
 * that child on the first line it writes at a level `parent` has enabled, so
 * a call that logs nothing (or only below the level) builds no child.
 */
export class CallLogger implements StepLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Readonly<Record<string, string>>,
  ) {}

  /** created says whether the child logger has been built, i.e. whether the call has logged a line. */
  get created(): boolean {
    return this.#child !== undefined;
  }

  error(obj: unknown, ...rest: unknown[]): void {
    this.#write('error', obj, rest);
  }

  warn(obj: unknown, ...rest: unknown[]): void {
    this.#write('warn', obj, rest);
  }

  info(obj: unknown, ...rest: unknown[]): void {
    this.#write('info', obj, rest);
  }

  debug(obj: unknown, ...rest: unknown[]): void {
    this.#write('debug', obj, rest);
  }

  #write(level: Level, obj: unknown, rest: unknown[]): void {
    if (!this.parent.isLevelEnabled(level)) return;
    this.#child ??= this.parent.child(this.bindings);
    Reflect.apply(this.#child[level], this.#child, [obj, ...rest]);
  }
}
