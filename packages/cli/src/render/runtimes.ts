import { connect } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import {
  silentLogger,
  splitHostPort,
  startFunctionServer,
  type BuiltFunction,
  type Logger,
} from '@scia/runtime';
import { dialRender, type RenderClient } from './client.js';
import { stringField, stringMap } from './json.js';
import {
  ANNOTATION_DEVELOPMENT_TARGET,
  ANNOTATION_RUNTIME,
  DEFAULT_DEVELOPMENT_TARGET,
  type BuiltinRegistry,
  type JsonObject,
} from './types.js';
import type { Result } from '../yaml-io.js';

/** FunctionRunner calls the named Function; `stop` shuts down what `startRuntimes` started. */
export interface FunctionRunner {
  run(name: string, req: RunFunctionRequest): Promise<RunFunctionResponse>;
  stop(): Promise<void>;
}

interface Runtime {
  target: string;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  builtins: BuiltinRegistry;
  /** deadline is the epoch millisecond after which waiting for a server or a call gives up. */
  deadline: number;
  logger?: Logger;
  note?: (line: string) => void;
}

/** IN_PROCESS_ADDRESS is where an in-process function listens: plaintext, on an ephemeral loopback port. */
const IN_PROCESS_ADDRESS = '127.0.0.1:0';

/**
 * startRuntimes prepares every Function of the functions file, as `crossplane
 * render` starts each Function's runtime: a Function annotated
 * `render.crossplane.io/runtime: Development` is dialled at its development
 * target, plaintext; any other Function must be one of SCIA's built-ins, which
 * are served in-process on an ephemeral loopback port over real gRPC. A
 * Development target on loopback where nothing listens is also served
 * in-process when the Function is a built-in.
 */
export async function startRuntimes(functions: readonly JsonObject[], opts: RuntimeOptions): Promise<Result<FunctionRunner>> {
  const runtimes = new Map<string, Runtime>();
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled([...runtimes.values()].map((r) => r.stop()));
  };
  for (const fn of functions) {
    const name = stringField(fn, 'metadata', 'name');
    const started = await startRuntime(fn, opts);
    if (!started.ok) {
      await stopAll();
      return { ok: false, error: `cannot start function runtimes: ${started.error}` };
    }
    await runtimes.get(name)?.stop();
    runtimes.set(name, started.value);
  }
  return { ok: true, value: newRunner(runtimes, opts.deadline, stopAll) };
}

async function startRuntime(fn: JsonObject, opts: RuntimeOptions): Promise<Result<Runtime>> {
  const name = stringField(fn, 'metadata', 'name');
  const annotations = stringMap(fn, 'metadata', 'annotations');
  const runtime = annotations[ANNOTATION_RUNTIME] ?? '';
  const builtin = Object.hasOwn(opts.builtins, name) ? opts.builtins[name] : undefined;
  if (runtime === 'Development') {
    const annotated = annotations[ANNOTATION_DEVELOPMENT_TARGET] ?? '';
    const target = annotated !== '' ? annotated : DEFAULT_DEVELOPMENT_TARGET;
    if (builtin === undefined || !(await isIdleLoopback(target))) return { ok: true, value: { target, stop: async () => {} } };
    opts.note?.(`nothing listens at ${target} for Function ${JSON.stringify(name)}: serving the built-in in-process for this render`);
    return startInProcess(name, builtin, opts.logger);
  }
  if (runtime !== '' && runtime !== 'Docker') {
    return {
      ok: false,
      error: `cannot get runtime for Function ${JSON.stringify(name)}: unsupported ${JSON.stringify(ANNOTATION_RUNTIME)} annotation value ${JSON.stringify(runtime)} (unknown runtime)`,
    };
  }
  if (builtin === undefined) {
    return {
      ok: false,
      error:
        `cannot get runtime for Function ${JSON.stringify(name)}: scia render can only run SCIA's own functions in-process; ` +
        `run this one yourself and annotate it ${ANNOTATION_RUNTIME}: Development (target in ${ANNOTATION_DEVELOPMENT_TARGET}, default ${DEFAULT_DEVELOPMENT_TARGET})`,
    };
  }
  return startInProcess(name, builtin, opts.logger);
}

async function startInProcess(name: string, build: (logger: Logger) => Promise<BuiltFunction>, logger = silentLogger()): Promise<Result<Runtime>> {
  let built: BuiltFunction | undefined;
  try {
    const child = logger.child({ fn: name });
    built = await build(child);
    const server = await startFunctionServer({
      name,
      run: built.run,
      address: IN_PROCESS_ADDRESS,
      credentials: grpc.ServerCredentials.createInsecure(),
      logger: child,
    });
    const started = built;
    const stop = async (): Promise<void> => {
      await server.shutdown(2_000);
      await started.close();
    };
    return { ok: true, value: { target: server.address, stop } };
  } catch (err) {
    await built?.close().catch(() => undefined);
    return { ok: false, error: `cannot start Function ${JSON.stringify(name)}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function newRunner(runtimes: Map<string, Runtime>, deadline: number, stopAll: () => Promise<void>): FunctionRunner {
  const clients = new Map<string, RenderClient>();
  return {
    async run(name, req) {
      const runtime = runtimes.get(name);
      if (runtime === undefined) throw new Error(`unknown Function ${JSON.stringify(name)} - does it exist in your Functions file?`);
      let client = clients.get(name);
      if (client === undefined) {
        client = dialRender(runtime.target);
        clients.set(name, client);
      }
      if (Date.now() >= deadline) throw new Error('context deadline exceeded');
      return client.run(req, deadline);
    },
    async stop() {
      for (const client of clients.values()) client.close();
      clients.clear();
      await stopAll();
    },
  };
}

/** isIdleLoopback tells whether a gRPC target names a loopback address where nothing accepts connections. */
export async function isIdleLoopback(target: string): Promise<boolean> {
  const hostPort = target.replace(/^(?:dns|ipv4|ipv6):(?:\/\/[^/]*\/)?/, '');
  let host: string;
  let port: number;
  try {
    ({ host, port } = splitHostPort(hostPort));
  } catch {
    return false;
  }
  if (!(host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))) return false;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}
