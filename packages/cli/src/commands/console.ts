import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_LIMITS, newPreviewer, startConsole, type ConsoleServer } from '@scia/console-api';
import { lazyStore, storeFromEnv } from '@scia/rag';
import { newLogger } from '@scia/runtime';
import type { Command, Io } from '../command.js';

const USAGE = `Usage: scia console [flags]

Serves the SCIA console: a GraphQL API (queries, mutations, subscriptions over
graphql-ws) at /graphql over the cluster's Deployments, and the dashboard at /.
Each request carries the user's bearer token and every Kubernetes call is made
with it, so RBAC decides. The console's own identity (the kubeconfig, or its
ServiceAccount in a cluster) only lists and watches Deployments and events.
  --kubeconfig FILE     the kubeconfig (default $KUBECONFIG, the in-cluster
                        ServiceAccount, else ~/.kube/config)
  --context NAME        the kubeconfig context (default its current one)
  --address HOST:PORT   where to listen (default 127.0.0.1:8080; 0.0.0.0:8080 in a cluster)
  --tls-cert FILE       serve HTTPS/WSS with this certificate ...
  --tls-key FILE        ... and this key
  --web DIR             the dashboard's build to serve at / (default web/dist when present)
  --no-preview          turn previewDeployment off
  --allow-local-repos   let previewDeployment read local paths (development only)
  --rate N              operations per second per token (default ${DEFAULT_LIMITS.ratePerSecond}; burst ${DEFAULT_LIMITS.burst})
The deployments store (similar and cited cases, previews) is SCIA_DATABASE_URL,
else PGlite under SCIA_DATA_DIR, as for \`scia decide\`.`;

const OPTIONS = {
  kubeconfig: { type: 'string' }, context: { type: 'string' }, address: { type: 'string' },
  'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, web: { type: 'string' },
  'no-preview': { type: 'boolean', default: false }, 'allow-local-repos': { type: 'boolean', default: false },
  rate: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface ConsoleDeps {
  /** stop ends serving when aborted; without it SIGTERM and SIGINT do. */
  stop?: AbortSignal;
  /** listening is told the running server (tests). */
  listening?: (server: ConsoleServer) => void;
}

/** newConsoleCommand builds `scia console`; tests inject a stop signal. */
export function newConsoleCommand(deps: ConsoleDeps = {}): Command {
  return { name: 'console', summary: 'serve the console: GraphQL over the cluster with each user\'s rights, and the dashboard', usage: USAGE, run: (argv, io) => run(argv, io, deps) };
}

export const command = newConsoleCommand();

async function run(argv: string[], io: Io, deps: ConsoleDeps): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (v.help) return void io.stdout.write(`${USAGE}\n`), 0;
  const fail = (message: string, status = 2): number => (io.stderr.write(`scia console: ${message}\n`), status);
  const rate = v.rate === undefined ? DEFAULT_LIMITS.ratePerSecond : Number(v.rate);
  if (!Number.isFinite(rate) || rate <= 0) return fail(`--rate: ${JSON.stringify(v.rate)} is not a positive number`);
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) return fail('--tls-cert and --tls-key go together');
  const kc = kubeConfig(v.kubeconfig, v.context, io);
  if (!kc.ok) return fail(kc.error, 1);
  const inCluster = io.env['KUBERNETES_SERVICE_HOST'] !== undefined;
  const web = v.web ?? (existsSync(join(io.cwd, 'web', 'dist')) ? join(io.cwd, 'web', 'dist') : undefined);
  const store = lazyStore(() => storeFromEnv(io.env, { cwd: io.cwd }));
  const server = await startConsole({
    kubeConfig: kc.value,
    address: v.address ?? (inCluster ? '0.0.0.0:8080' : '127.0.0.1:8080'),
    logger: newLogger({ name: 'scia-console', debug: io.env['SCIA_DEBUG'] === '1' }),
    store,
    ...(v['no-preview'] ? {} : { previewer: newPreviewer(io.env, io.cwd, v['allow-local-repos']) }),
    ...(web === undefined ? {} : { webDir: resolve(io.cwd, web) }),
    ...(v['tls-cert'] === undefined || v['tls-key'] === undefined ? {} : { tls: { cert: readFileSync(resolve(io.cwd, v['tls-cert'])), key: readFileSync(resolve(io.cwd, v['tls-key'])) } }),
    limits: { ratePerSecond: rate },
  });
  io.stderr.write(`scia console: serving ${server.url} (dashboard at ${server.url.replace(/\/graphql$/, '/')})\n`);
  deps.listening?.(server);
  await stopped(deps.stop);
  await server.close();
  await store.close();
  return 0;
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) return signal.aborted ? Promise.resolve() : new Promise((ok) => signal.addEventListener('abort', () => ok(), { once: true }));
  return new Promise((ok) => {
    process.once('SIGTERM', () => ok());
    process.once('SIGINT', () => ok());
  });
}

/** kubeConfig loads the console's own kubeconfig: the flag, $KUBECONFIG, the in-cluster ServiceAccount, else ~/.kube/config. */
function kubeConfig(file: string | undefined, context: string | undefined, io: Io): { ok: true; value: KubeConfig } | { ok: false; error: string } {
  const kc = new KubeConfig();
  const path = file ?? io.env['KUBECONFIG']?.split(':')[0];
  const home = join(io.env['HOME'] ?? homedir(), '.kube', 'config');
  try {
    if (path !== undefined && path !== '') kc.loadFromFile(resolve(io.cwd, path));
    else if (io.env['KUBERNETES_SERVICE_HOST'] !== undefined) kc.loadFromCluster();
    else if (existsSync(home)) kc.loadFromFile(home);
    else return { ok: false, error: 'cannot find a kubeconfig: pass --kubeconfig, set KUBECONFIG, or run in a cluster' };
    if (context !== undefined) kc.setCurrentContext(context);
  } catch (err) {
    return { ok: false, error: `cannot load the kubeconfig: ${(err as Error).message}` };
  }
  if (kc.getCurrentCluster() === null) return { ok: false, error: 'cannot use the kubeconfig: its current context names no cluster' };
  return { ok: true, value: kc };
}
