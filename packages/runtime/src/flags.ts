import { parseArgs } from 'node:util';
import type { Result } from '@scia/api';
import { DEFAULT_WIRE_CODEC, WIRE_CODECS, type WireCodec } from './decode.js';
import { DEFAULT_TRANSPORT, TRANSPORTS, type Transport } from './server.js';
/** ServeFlags are the flags every Crossplane function accepts, with SCIA's additions. */
export interface ServeFlags {
  address: string;
  insecure: boolean;
  tlsServerCertsDir: string;
  debug: boolean;
  metricsAddress: string;
  healthAddress: string;
  /** wireCodec is how requests are read and responses written (see WireCodec). */
  wireCodec: WireCodec;
  /** transport is what serves the gRPC protocol (see Transport). */
  transport: Transport;
  help: boolean;
}

export const DEFAULT_ADDRESS = '0.0.0.0:9443';
export const DEFAULT_TLS_SERVER_CERTS_DIR = '/tls/server';
export const DEFAULT_METRICS_ADDRESS = '0.0.0.0:8080';
export const DEFAULT_HEALTH_ADDRESS = '0.0.0.0:8081';

/**
 * parseServeFlags reads Crossplane's function flags: `--address`, `--insecure`,
 * `--tls-server-certs-dir` (or env `TLS_SERVER_CERTS_DIR`), `--debug`, plus
 * `--metrics-address` (empty disables metrics) and `--health-address` (or env
 * `SCIA_HEALTH_ADDRESS`; the plaintext gRPC health listener, empty disables
 * it), `--wire-codec` (or env `SCIA_WIRE_CODEC`; lazy or sdk), `--transport` (or
 * env `SCIA_TRANSPORT`; http2, frames or grpc-js), with node's util.parseArgs.
 * Both `--flag value` and `--flag=value` are accepted, and a switch takes
 * `--switch=true|false` as Crossplane's flag parser does; an unknown flag is an error.
 */
export function parseServeFlags(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Result<ServeFlags> {
  const args = switchesWithValues(argv, ['insecure', 'debug', 'help']);
  if (!args.ok) return args;
  let values;
  try {
    ({ values } = parseArgs({
      args: args.value,
      strict: true,
      allowPositionals: false,
      options: {
        address: { type: 'string', default: DEFAULT_ADDRESS },
        insecure: { type: 'boolean', default: false },
        'tls-server-certs-dir': { type: 'string', default: env['TLS_SERVER_CERTS_DIR'] ?? DEFAULT_TLS_SERVER_CERTS_DIR },
        debug: { type: 'boolean', default: false },
        'metrics-address': { type: 'string', default: DEFAULT_METRICS_ADDRESS },
        'health-address': { type: 'string', default: env['SCIA_HEALTH_ADDRESS'] ?? DEFAULT_HEALTH_ADDRESS },
        'wire-codec': { type: 'string', default: env['SCIA_WIRE_CODEC'] ?? DEFAULT_WIRE_CODEC },
        transport: { type: 'string', default: env['SCIA_TRANSPORT'] ?? DEFAULT_TRANSPORT },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    return { ok: false, error: flagError(err) };
  }
  const codec = WIRE_CODECS.find((c) => c === values['wire-codec']);
  if (codec === undefined) return { ok: false, error: `flag --wire-codec takes ${WIRE_CODECS.join(' or ')}, not ${JSON.stringify(values['wire-codec'])}` };
  const transport = TRANSPORTS.find((t) => t === values.transport);
  if (transport === undefined) return { ok: false, error: `flag --transport takes ${TRANSPORTS.join(', ')}, not ${JSON.stringify(values.transport)}` };
  return {
    ok: true,
    value: {
      address: values.address,
      insecure: values.insecure,
      tlsServerCertsDir: values['tls-server-certs-dir'],
      debug: values.debug,
      metricsAddress: values['metrics-address'],
      healthAddress: values['health-address'],
      wireCodec: codec,
      transport,
      help: values.help,
    },
  };
}

/** flagError says what util.parseArgs refused in the words of every SCIA command: `unknown flag --x`. */
export function flagError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown !== null) return `unknown flag ${unknown[1]}`;
  const missing = /^Option '(-\S+?)(?:, (--\S+))? <value>' argument missing/.exec(message);
  if (missing !== null) return `flag ${missing[2] ?? missing[1]} needs a value`;
  const positional = /^Unexpected argument '([^']*)'/.exec(message);
  if (positional !== null) return `unexpected argument ${JSON.stringify(positional[1])}`;
  return message;
}

/**
 * switchesWithValues rewrites `--switch=true` to `--switch` and drops
 * `--switch=false` (util.parseArgs takes no value for a boolean), refusing any
 * other value a switch is given.
 */
export function switchesWithValues(argv: readonly string[], switches: readonly string[]): Result<string[]> {
  const out: string[] = [];
  for (const arg of argv) {
    const m = /^--([^=]+)=(.*)$/s.exec(arg);
    if (m === null || !switches.includes(m[1] ?? '')) {
      out.push(arg);
      continue;
    }
    if (m[2] !== 'true' && m[2] !== 'false') return { ok: false, error: `flag --${m[1]} takes true or false, not ${JSON.stringify(m[2])}` };
    if (m[2] === 'true') out.push(`--${m[1]}`);
  }
  return { ok: true, value: out };
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
    `  --health-address ADDR       address of the plaintext gRPC health service for probes, empty to disable (env SCIA_HEALTH_ADDRESS, default ${DEFAULT_HEALTH_ADDRESS})`,
    '  --wire-codec lazy|sdk       how requests are read and responses written (env SCIA_WIRE_CODEC, default lazy)',
    '  --transport http2|frames|grpc-js  what serves gRPC: the lean node:http2 server, the lean server framing HTTP/2 itself, or grpc-js (env SCIA_TRANSPORT, default http2)',
    '  --debug                     log at debug level',
    '  -h, --help                  print this help',
    '',
  ].join('\n');
}
