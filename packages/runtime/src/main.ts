import * as grpc from '@grpc/grpc-js';
import { parseServeFlags, serveHelp, type ServeFlags } from './flags.js';
import { newLogger, type Logger } from './logger.js';
import { FunctionMetrics, serveMetrics } from './metrics.js';
import { startFunctionServer, type RunFn } from './server.js';
import { mutualTlsCredentials, readTlsDir } from './tls.js';

/** FunctionMain describes a function binary: its package name and how to build its handler. */
export interface FunctionMain {
  /** name is the Crossplane package name, e.g. `function-scia-render-aws`. */
  name: string;
  /** build creates the handler and its adapters (database pools, clients) once, at start. */
  build(logger: Logger, flags: ServeFlags): RunFn | Promise<RunFn>;
  /** close releases what build created, after the server has drained. */
  close?(): Promise<void>;
}

/**
 * runFunctionMain is the whole of a function's `main.ts`: it parses the flags,
 * serves with mutual TLS (or `--insecure`), serves metrics, drains on SIGTERM and
 * SIGINT, and exits non-zero with a one-line reason when it cannot start.
 */
export async function runFunctionMain(def: FunctionMain, argv = process.argv.slice(2)): Promise<void> {
  const parsed = parseServeFlags(argv);
  if (!parsed.ok) {
    process.stderr.write(`${def.name}: ${parsed.error}\n\n${serveHelp(def.name)}`);
    process.exit(2);
  }
  const flags = parsed.value;
  if (flags.help) {
    process.stdout.write(serveHelp(def.name));
    return;
  }
  const logger = newLogger({ name: def.name, debug: flags.debug });
  try {
    const credentials = flags.insecure
      ? grpc.ServerCredentials.createInsecure()
      : mutualTlsCredentials(await readTlsDir(flags.tlsServerCertsDir));
    const metrics = new FunctionMetrics({ defaultMetrics: true });
    const run = await def.build(logger, flags);
    const server = await startFunctionServer({ name: def.name, run, address: flags.address, credentials, logger, metrics });
    const metricsServer = flags.metricsAddress === '' ? undefined : await serveMetrics(metrics, flags.metricsAddress);
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'draining');
      void server
        .shutdown()
        .then(() => def.close?.())
        .then(() => metricsServer?.server.close())
        .then(() => process.exit(0), (err: unknown) => {
          logger.error({ err }, 'cannot shut down cleanly');
          process.exit(1);
        });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  } catch (err) {
    logger.error({ err }, 'cannot start');
    process.stderr.write(`${def.name}: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
