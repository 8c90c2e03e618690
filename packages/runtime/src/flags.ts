/** ServeFlags are the flags every Crossplane function accepts, with SCIA's additions. */
export interface ServeFlags {
  address: string;
  insecure: boolean;
  tlsServerCertsDir: string;
  debug: boolean;
  metricsAddress: string;
  help: boolean;
}

export const DEFAULT_ADDRESS = '0.0.0.0:9443';
export const DEFAULT_TLS_SERVER_CERTS_DIR = '/tls/server';
export const DEFAULT_METRICS_ADDRESS = '0.0.0.0:8080';

const VALUED = new Set(['address', 'tls-server-certs-dir', 'metrics-address']);
const BOOLEAN = new Set(['insecure', 'debug', 'help']);

export type FlagsResult = { ok: true; value: ServeFlags } | { ok: false; error: string };

/**
 * parseServeFlags reads Crossplane's function flags: `--address`, `--insecure`,
 * `--tls-server-certs-dir` (or env `TLS_SERVER_CERTS_DIR`), `--debug`, plus
 * `--metrics-address` (empty disables metrics). Both `--flag value` and
 * `--flag=value` are accepted; an unknown flag is an error.
 */
export function parseServeFlags(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): FlagsResult {
  const flags: ServeFlags = {
    address: DEFAULT_ADDRESS,
    insecure: false,
    tlsServerCertsDir: env['TLS_SERVER_CERTS_DIR'] ?? DEFAULT_TLS_SERVER_CERTS_DIR,
    debug: false,
    metricsAddress: DEFAULT_METRICS_ADDRESS,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h') {
      flags.help = true;
      continue;
    }
    if (!arg.startsWith('--')) return { ok: false, error: `unexpected argument ${JSON.stringify(arg)}` };
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (BOOLEAN.has(name)) {
      if (value !== undefined && value !== 'true' && value !== 'false') {
        return { ok: false, error: `flag --${name} takes true or false, not ${JSON.stringify(value)}` };
      }
      const on = value !== 'false';
      if (name === 'insecure') flags.insecure = on;
      else if (name === 'debug') flags.debug = on;
      else flags.help = on;
      continue;
    }
    if (!VALUED.has(name)) return { ok: false, error: `unknown flag --${name}` };
    if (value === undefined) {
      value = argv[i + 1];
      i++;
      if (value === undefined) return { ok: false, error: `flag --${name} needs a value` };
    }
    if (name === 'address') flags.address = value;
    else if (name === 'tls-server-certs-dir') flags.tlsServerCertsDir = value;
    else flags.metricsAddress = value;
  }
  return { ok: true, value: flags };
}

/** serveHelp is the `--help` text of a function binary named `name`. */
export function serveHelp(name: string): string {
  return [
    `Usage: ${name} [flags]`,
    '',
    'Serves a Crossplane composition function over gRPC.',
    '',
    `  --address ADDR              address to listen on (default ${DEFAULT_ADDRESS})`,
    '  --insecure                  serve without TLS (local development only)',
    `  --tls-server-certs-dir DIR  directory with tls.crt, tls.key and ca.crt (env TLS_SERVER_CERTS_DIR, default ${DEFAULT_TLS_SERVER_CERTS_DIR})`,
    `  --metrics-address ADDR      address of the Prometheus /metrics endpoint, empty to disable (default ${DEFAULT_METRICS_ADDRESS})`,
    '  --debug                     log at debug level',
    '  -h, --help                  print this help',
    '',
  ].join('\n');
}
