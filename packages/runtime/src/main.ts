import * as grpc from '@grpc/grpc-js';
import { parseServeFlags, serveHelp } from './flags.js';
import { newHealth, serveHealth } from './health.js';
import type { FunctionDefinition } from './kit.js';
import { newLogger } from './logger.js';
import { FunctionMetrics, serveMetrics } from './metrics.js';
import { startFunctionServer } from './server.js';
import { mutualTlsCredentials, readTlsDir } from './tls.js';

/**
 * runFunctionMain is the whole of a function's `main.ts`: it parses the flags,
 * serves gRPC health in plaintext for probes (NOT_SERVING until the function
 * serves), builds the step from the process environment (read once, here;
 * slow optional adapters such as an embedded store open in the background),
 * serves with mutual TLS (or `--insecure`), serves metrics, drains on SIGTERM and SIGINT,
 * and exits non-zero with a one-line reason when it cannot start (a wrong
 * variable is named).
 */
export async function runFunctionMain(def: FunctionDefinition, argv = process.argv.slice(2)): Promise<void> {
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
    const health = newHealth();
    const healthServer = flags.healthAddress === '' ? undefined : await serveHealth(health, flags.healthAddress);
    if (healthServer !== undefined) logger.info({ health: healthServer.address }, 'serving health checks');
    let served = (): void => undefined;
    const serving = new Promise<void>((resolve) => (served = resolve));
    const built = await def.build({ env: process.env, logger, background: true, serving });
    const server = await startFunctionServer({ name: def.name, run: built.run, address: flags.address, credentials, logger, metrics, health, codec: flags.wireCodec, transport: flags.transport });
    served();
    const metricsServer = flags.metricsAddress === '' ? undefined : await serveMetrics(metrics, flags.metricsAddress);
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'draining');
      void server
        .shutdown()
        .then(() => built.close())
        .then(() => metricsServer?.server.close())
        .then(() => healthServer?.close())
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
