import * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import {
  dialFunction,
  silentLogger,
  startFunctionServer,
  type FunctionClient,
  type BuiltFunction,
  type Logger,
} from '@scia/runtime';
import { stringField, stringMap } from './json.js';
import {
  ANNOTATION_DEVELOPMENT_TARGET,
  ANNOTATION_RUNTIME,
  DEFAULT_DEVELOPMENT_TARGET,
  type BuiltinRegistry,
  type JsonObject,
} from './types.js';
import type { Result } from './yaml-io.js';

/** FunctionRunner calls the named Function; `stop` shuts down what `startRuntimes` started. */
export interface FunctionRunner {
  run(name: string, req: RunFunctionRequest): Promise<RunFunctionResponse>;
  stop(): Promise<void>;
}

interface Runtime {
  target: string;
  /** describe says which runtime serves the Function, for --verbose. */
  describe: string;
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
 * render` starts each Function's runtime (cmd/crank/render/runtime.go):
 * `render.crossplane.io/runtime: Development` dials the development target,
 * plaintext, and waits for it at each call until the deadline; the Docker
 * runtime (the default) runs the Function's package, which scia render does
 * for its built-ins only, in-process on an ephemeral loopback port over real
 * gRPC, with the environment `render.crossplane.io/runtime-docker-env` gives.
 * Any other Function needs Docker, and is refused with what would let it run.
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
    opts.note?.(`Function ${JSON.stringify(name)}: ${started.value.describe}`);
    await runtimes.get(name)?.stop();
    runtimes.set(name, started.value);
  }
  return { ok: true, value: newRunner(runtimes, opts.deadline, stopAll) };
}

async function startRuntime(fn: JsonObject, opts: RuntimeOptions): Promise<Result<Runtime>> {
  const name = stringField(fn, 'metadata', 'name');
  const annotations = stringMap(fn, 'metadata', 'annotations');
  const runtime = annotations[ANNOTATION_RUNTIME] ?? '';
  const cannot = (reason: string): Result<Runtime> => ({ ok: false, error: `cannot get runtime for Function ${JSON.stringify(name)}: ${reason}` });
  if (runtime === 'Development') {
    const annotated = annotations[ANNOTATION_DEVELOPMENT_TARGET] ?? '';
    const target = annotated !== '' ? annotated : DEFAULT_DEVELOPMENT_TARGET;
    return { ok: true, value: { target, describe: `runtime Development, dialling ${target}`, stop: async () => {} } };
  }
  if (runtime !== '' && runtime !== 'Docker') return cannot(`unsupported ${JSON.stringify(ANNOTATION_RUNTIME)} annotation value ${JSON.stringify(runtime)} (unknown runtime)`);
  const docker = dockerSettings(name, annotations);
  if (!docker.ok) return cannot(docker.error);
  const builtin = Object.hasOwn(opts.builtins, name) ? opts.builtins[name] : undefined;
  if (builtin === undefined) return cannot(needsDocker(name, stringField(fn, 'spec', 'package')));
  return startInProcess(name, (logger) => builtin(logger, docker.value.env), opts.logger);
}

/**
 * needsDocker says why a Function that is not built in cannot run, and what
 * would let it: serving it yourself, plaintext, and pointing the Function at it.
 */
function needsDocker(name: string, pkg: string): string {
  const what = pkg === '' ? 'its package' : `package ${JSON.stringify(pkg)}`;
  return (
    `scia render runs SCIA's functions in-process and has no Docker to run ${what}; ` +
    `serve the function yourself with --insecure (for example docker run -p 9443:9443 IMAGE --insecure) and annotate Function ${JSON.stringify(name)} ` +
    `${ANNOTATION_RUNTIME}: Development, with ${ANNOTATION_DEVELOPMENT_TARGET}: HOST:PORT when it does not listen at ${DEFAULT_DEVELOPMENT_TARGET}`
  );
}

/** ANNOTATION_DOCKER_* are the Docker runtime's annotations that mean something without Docker. */
const ANNOTATION_DOCKER_CLEANUP = 'render.crossplane.io/runtime-docker-cleanup';
const ANNOTATION_DOCKER_PULL_POLICY = 'render.crossplane.io/runtime-docker-pull-policy';
const ANNOTATION_DOCKER_ENV = 'render.crossplane.io/runtime-docker-env';

/**
 * dockerSettings reads the Docker runtime's annotations as crossplane render
 * does (cmd/crank/render/runtime_docker.go): an unknown cleanup or pull policy
 * is refused; runtime-docker-env, comma-separated KEY=VALUE pairs (others
 * ignored), is the environment the function sees.
 */
function dockerSettings(name: string, annotations: Record<string, string>): Result<{ env: Record<string, string> }> {
  const cleanup = annotations[ANNOTATION_DOCKER_CLEANUP] ?? '';
  if (!['', 'Stop', 'Remove', 'Orphan'].includes(cleanup)) {
    return { ok: false, error: `cannot get cleanup policy for Function ${JSON.stringify(name)}: unsupported ${JSON.stringify(ANNOTATION_DOCKER_CLEANUP)} annotation value ${JSON.stringify(cleanup)} (unknown cleanup policy)` };
  }
  const pull = annotations[ANNOTATION_DOCKER_PULL_POLICY] ?? '';
  if (!['', 'Always', 'Never', 'IfNotPresent'].includes(pull)) {
    return { ok: false, error: `cannot get pull policy for Function ${JSON.stringify(name)}: unsupported ${JSON.stringify(ANNOTATION_DOCKER_PULL_POLICY)} annotation value ${JSON.stringify(pull)} (unknown pull policy)` };
  }
  const env: Record<string, string> = {};
  for (const pair of (annotations[ANNOTATION_DOCKER_ENV] ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at !== -1) env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { ok: true, value: { env } };
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
    return { ok: true, value: { target: server.address, describe: `runtime Docker, served in-process at ${server.address}`, stop } };
  } catch (err) {
    await built?.close().catch(() => undefined);
    return { ok: false, error: `cannot start Function ${JSON.stringify(name)}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function newRunner(runtimes: Map<string, Runtime>, deadline: number, stopAll: () => Promise<void>): FunctionRunner {
  const clients = new Map<string, FunctionClient>();
  return {
    async run(name, req) {
      const runtime = runtimes.get(name);
      if (runtime === undefined) throw new Error(`unknown Function ${JSON.stringify(name)} - does it exist in your Functions file?`);
      let client = clients.get(name);
      if (client === undefined) {
        client = dialFunction(runtime.target);
        clients.set(name, client);
      }
      if (Date.now() >= deadline) throw new Error('context deadline exceeded');
      // Wait for the server first, as crossplane render's waitForReady service config does.
      await client.waitForReady(deadline - Date.now());
      return client.run(req, Math.max(deadline - Date.now(), 1));
    },
    async stop() {
      for (const client of clients.values()) client.close();
      clients.clear();
      await stopAll();
    },
  };
}
