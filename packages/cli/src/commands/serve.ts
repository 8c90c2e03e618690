import * as grpc from '@grpc/grpc-js';
import {
  FUNCTION_SERVICE,
  FunctionMetrics,
  mutualTlsCredentials,
  newLogger,
  newHealth,
  parseServeFlags,
  readTlsDir,
  serveHealth,
  serveHelp,
  serveMetrics,
  splitHostPort,
  startFunctionServer,
  type BuiltFunction,
  type Logger,
  type RunningFunctionServer,
  type ServeFlags,
} from '@scia/runtime';
import type { Command, Io } from '../command.js';
import { builtinFunctions } from '../functions.js';
import type { BuiltinRegistry } from '@scia/render';

const USAGE = `Usage: scia serve [--only NAMES] [flags]

Serves SCIA's functions for \`crossplane render\` or a cluster, each on its own
port: the first on --address, the next ones on the following ports, in pipeline
order. --only takes a comma-separated list of function names. One health
listener (--health-address) answers for all of them: the server ('') and the
function service are SERVING once every function listens, and each function
is also reported under its own name.

${serveHelp('scia serve').split('\n').slice(4).join('\n')}`;

export interface ServeDeps {
  builtins?: BuiltinRegistry;
  /** stop ends serving when aborted; without it SIGTERM and SIGINT do. */
  stop?: AbortSignal;
}

/** newServeCommand builds `scia serve`; tests inject the functions and a stop signal. */
export function newServeCommand(deps: ServeDeps = {}): Command {
  return {
    name: 'serve',
    summary: 'serve the SCIA functions over gRPC (mutual TLS unless --insecure)',
    usage: USAGE,
    run: (argv, io) => runServe(argv, io, deps),
  };
}

/** command is `scia serve` with SCIA's built-in functions, stopped by SIGTERM or SIGINT. */
export const command = newServeCommand();

interface Served {
  built: BuiltFunction;
  server: RunningFunctionServer;
}

async function runServe(argv: string[], io: Io, deps: ServeDeps): Promise<number> {
  const fail = (message: string, status = 1): number => {
    io.stderr.write(`scia serve: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return status;
  };
  const only = takeOnly(argv);
  const parsed = parseServeFlags(only.rest, io.env);
  if (!parsed.ok) return fail(`${parsed.error}; run scia serve --help`, 2);
  const flags = parsed.value;
  if (flags.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const base = splitHostPort(flags.address);
  // Local repository paths read this machine's files: only for a server that
  // nothing but this machine can reach, unless the environment says otherwise.
  const env = { SCIA_ALLOW_LOCAL_REPOS: isLoopback(base.host) ? 'true' : 'false', ...io.env };
  const builtins = deps.builtins ?? builtinFunctions(env, io.cwd);
  const names = selectFunctions(builtins, only.names);
  if (!names.ok) return fail(names.error, 2);
  const logger = newLogger({ name: 'scia-serve', debug: flags.debug });
  const metrics = new FunctionMetrics({ defaultMetrics: true });
  const served: Served[] = [];
  const health = newHealth();
  let healthServer: Awaited<ReturnType<typeof serveHealth>> | undefined;
  const stopHealth = async (): Promise<void> => {
    for (const service of ['', FUNCTION_SERVICE, ...names.value]) health.setStatus(service, 'NOT_SERVING');
    await healthServer?.close();
  };
  try {
    const tls = flags.insecure ? undefined : await readTlsDir(flags.tlsServerCertsDir);
    for (const name of names.value) health.setStatus(name, 'NOT_SERVING');
    healthServer = flags.healthAddress === '' ? undefined : await serveHealth(health, flags.healthAddress);
    if (healthServer !== undefined) io.stderr.write(`health on ${healthServer.address}\n`);
    for (const [i, name] of names.value.entries()) {
      const address = joinHostPort(base.host, base.port === 0 ? 0 : base.port + i);
      const one = await serveOne(builtins, name, { ...flags, address }, logger, metrics, tls);
      served.push(one);
      health.setStatus(name, 'SERVING');
      io.stderr.write(`${name} listening on ${one.server.address} (${flags.insecure ? 'insecure' : 'mutual TLS'})\n`);
    }
    health.setStatus('', 'SERVING');
    health.setStatus(FUNCTION_SERVICE, 'SERVING');
    const metricsServer = flags.metricsAddress === '' ? undefined : await serveMetrics(metrics, flags.metricsAddress);
    if (metricsServer !== undefined) io.stderr.write(`metrics on ${joinHostPort(splitHostPort(flags.metricsAddress).host, metricsServer.port)}\n`);
    const signal = await stopped(deps.stop);
    logger.info({ signal }, 'draining');
    await stopHealth();
    await drain(served);
    await new Promise<void>((resolve) => (metricsServer === undefined ? resolve() : metricsServer.server.close(() => resolve())));
    return 0;
  } catch (err) {
    await stopHealth();
    await drain(served);
    return fail(err instanceof Error ? err.message : String(err));
  }
}

async function serveOne(
  builtins: BuiltinRegistry,
  name: string,
  flags: ServeFlags,
  logger: Logger,
  metrics: FunctionMetrics,
  tls: Awaited<ReturnType<typeof readTlsDir>> | undefined,
): Promise<Served> {
  const build = builtins[name];
  if (build === undefined) throw new Error(`unknown function ${JSON.stringify(name)}`);
  const child = logger.child({ fn: name });
  const built = await build(child);
  const credentials = tls === undefined ? grpc.ServerCredentials.createInsecure() : mutualTlsCredentials(tls);
  try {
    const server = await startFunctionServer({ name, run: built.run, address: flags.address, credentials, logger: child, metrics, codec: flags.wireCodec, transport: flags.transport });
    return { built, server };
  } catch (err) {
    await built.close();
    throw err;
  }
}

async function drain(served: readonly Served[]): Promise<void> {
  await Promise.allSettled(served.map(async ({ built, server }) => {
    await server.shutdown();
    await built.close();
  }));
}

/** takeOnly removes `--only NAMES` (or `--only=NAMES`) from the arguments. */
function takeOnly(argv: readonly string[]): { names: string[] | undefined; rest: string[] } {
  const rest: string[] = [];
  let names: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? (argv[++i] ?? '') : arg.slice('--only='.length);
      names = [...(names ?? []), ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
    } else rest.push(arg);
  }
  return { names, rest };
}

/**
 * PIPELINE_ORDER is the order of the composition's steps. Served in this order
 * from 9443, the functions get the ports the examples' functions.yaml files name
 * (analyze 9443 ... record 9447), whatever order BUILTIN_FUNCTIONS lists them in.
 */
const PIPELINE_ORDER = ['analyze', 'retrieve', 'decide', 'render-aws', 'record'].map((s) => `function-scia-${s}`);

function pipelineRank(name: string): number {
  const i = PIPELINE_ORDER.indexOf(name);
  return i === -1 ? PIPELINE_ORDER.length : i;
}

/** selectFunctions lists the functions to serve in pipeline order (others after, in registry order), restricted to --only. */
function selectFunctions(builtins: BuiltinRegistry, only: string[] | undefined): { ok: true; value: string[] } | { ok: false; error: string } {
  const all = Object.keys(builtins).sort((a, b) => pipelineRank(a) - pipelineRank(b));
  const unknown = (only ?? []).filter((n) => !all.includes(n));
  if (unknown.length > 0) return { ok: false, error: `unknown function ${JSON.stringify(unknown[0])}; built-in functions: ${all.join(', ') || 'none'}` };
  const names = only === undefined ? all : all.filter((n) => only.includes(n));
  if (names.length === 0) return { ok: false, error: 'no function to serve' };
  return { ok: true, value: names };
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** stopped resolves with what asked to stop: the abort signal when given, else SIGTERM or SIGINT. */
function stopped(signal: AbortSignal | undefined): Promise<string> {
  if (signal !== undefined) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve('abort');
      else signal.addEventListener('abort', () => resolve('abort'), { once: true });
    });
  }
  return new Promise((resolve) => {
    const on = (name: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(name);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/** isLoopback tells whether a listening host is reachable only from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
