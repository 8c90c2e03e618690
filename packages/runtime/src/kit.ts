import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { z } from 'zod';
import { parseEnv, type Env } from '@scia/api';
import type { StepLogger } from './step-logger.js';
import { malformedRequest } from './request-shape.js';
import type { RunFn } from './server.js';

/** Adapters are a step's I/O (pools, clients, caches) and how to release them. */
export interface Adapters<D> {
  deps: D;
  close?(): Promise<void>;
}

/** BuildContext is what a step's adapters are built from, besides its parsed environment. */
export interface BuildContext {
  logger: StepLogger;
  /** cwd resolves relative paths in the environment (SCIA_DATA_DIR, local repositories). */
  cwd: string;
  /**
   * background is true when the step serves for long (a function binary): an
   * optional adapter that is slow to open (an embedded store) opens after the
   * step serves, and calls meanwhile find it unavailable. False (commands and
   * tests that run a step once) waits for it while building.
   */
  background: boolean;
  /**
   * serving resolves once the step serves (at once when not in the
   * background): adapters opening in the background start then, so that their
   * work never delays the first listen.
   */
  serving: Promise<void>;
}

/**
 * Step declares a composition function once: its package name, the zod schema
 * of the environment it reads (parsed once, at start), how to build its
 * adapters from that environment, and its pure `run`.
 */
export interface Step<S extends z.ZodType, D> {
  /** name is the Crossplane package name, e.g. `function-scia-render-aws`. */
  name: string;
  env: S;
  adapters(env: z.output<S>, ctx: BuildContext): Adapters<D> | Promise<Adapters<D>>;
  run(req: RunFunctionRequest, deps: D, logger: StepLogger): Promise<RunFunctionResponse> | RunFunctionResponse;
}

/** BuildOptions: the environment to read (never process.env implicitly) and where relative paths start. */
export interface BuildOptions {
  env: Env;
  logger: StepLogger;
  cwd?: string;
  /** background: see BuildContext.background (default false). */
  background?: boolean;
  /** serving: see BuildContext.serving (default resolved). */
  serving?: Promise<void>;
}

/** BuiltFunction is a step ready to serve: its handler, and how to release its adapters. */
export interface BuiltFunction {
  run: RunFn;
  close(): Promise<void>;
}

/** FunctionDefinition is a declared step: its name, and how to build it from an environment. */
export interface FunctionDefinition {
  readonly name: string;
  /** build parses the environment (throwing one error naming every wrong variable) and builds the adapters. */
  build(opts: BuildOptions): Promise<BuiltFunction>;
}

/**
 * defineFunction turns a Step into a FunctionDefinition. Each build owns its
 * adapters until its close: there is no module-level state, so a process (the
 * CLI, a test) may build the same step twice with different environments.
 * A request Crossplane never sends (see malformedRequest) is answered with a
 * Fatal naming the field before the step's `run` sees it.
 */
export function defineFunction<S extends z.ZodType, D>(step: Step<S, D>): FunctionDefinition {
  return {
    name: step.name,
    async build(opts) {
      const env = parseEnv(step.env, opts.env);
      if (!env.ok) throw new Error(env.error);
      const adapters = await step.adapters(env.value, { logger: opts.logger, cwd: opts.cwd ?? process.cwd(), background: opts.background ?? false, serving: opts.serving ?? Promise.resolve() });
      let closed = false;
      return {
        run: (req, logger) => malformedRequest(req) ?? step.run(req, adapters.deps, logger),
        async close() {
          if (closed) return;
          closed = true;
          await adapters.close?.();
        },
      };
    },
  };
}
