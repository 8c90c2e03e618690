import type { Logger } from 'pino';
import type { StepLogger } from './step-logger.js';

type Level = 'error' | 'warn' | 'info' | 'debug';

/**
 * CallLogger is what one call's step logs through: `parent` with `bindings()`
 * on every line, exactly as `parent.child(bindings())` writes them. It reads
 * the bindings and builds that child on the first line it writes at a level
 * `parent` has enabled, so a call that logs nothing (or only below the level)
 * reads nothing and builds no child. Bindings that cannot be read (a request
 * the lazy codec finds nested too deep) leave the lines as `parent` writes them.
 */
export class CallLogger implements StepLogger {
  #target: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: () => Readonly<Record<string, string>>,
  ) {}

  /** created says whether the child logger has been built, i.e. whether the call has logged a line. */
  get created(): boolean {
    return this.#target !== undefined && this.#target !== this.parent;
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
    this.#target ??= this.#build();
    Reflect.apply(this.#target[level], this.#target, [obj, ...rest]);
  }

  #build(): Logger {
    let bindings: Readonly<Record<string, string>>;
    try {
      bindings = this.bindings();
    } catch {
      return this.parent;
    }
    return this.parent.child(bindings);
  }
}
