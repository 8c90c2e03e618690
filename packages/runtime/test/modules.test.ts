import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORTS } from '@scia/runtime';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const noopMain = fileURLToPath(new URL('../../../test/support/noop-main.mjs', import.meta.url));
const recorder = fileURLToPath(new URL('../../../test/support/module-record.mjs', import.meta.url));

/** packagesServing runs a function binary until it serves calls and health checks, stops it, and returns the npm packages it loaded. */
async function packagesServing(transport: string): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'scia-runtime-modules-'));
  const record = join(work, 'modules.txt');
  try {
    const child = spawn(process.execPath, ['--import', recorder, noopMain, '--insecure', '--address', '127.0.0.1:0', '--metrics-address', '127.0.0.1:0', '--health-address', '127.0.0.1:0'], {
      stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SCIA_TRANSPORT: transport, SCIA_TEST_MODULE_RECORD: record },
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    for (let i = 0; i < 300 && !stderr.includes('"serving function"'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toContain('"serving health checks"');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const packages = new Set<string>();
    for (const line of readFileSync(record, 'utf8').split('\n')) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line)?.[1];
      if (name !== undefined) packages.add(name);
    }
    return [...packages].sort();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Each parses .proto files when loaded, several MiB of a function's resident set: health is served from the runtime's own definition.
const PROTO_PARSERS = ['grpc-health-check', '@grpc/proto-loader', 'protobufjs'];

describe('a function binary serving calls and health checks', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [`${repo}node_modules/typescript/bin/tsc`, '-b', `${repo}packages/runtime`]);
  });

  it.each(TRANSPORTS)('loads no .proto parser on the %s transport', { timeout: 30_000 }, async (transport) => {
    const loaded = await packagesServing(transport);
    // The record is whole: the logger and the metrics are there.
    expect({ parsers: loaded.filter((p) => PROTO_PARSERS.includes(p)), serving: loaded.filter((p) => ['pino', 'prom-client'].includes(p)) }).toEqual({ parsers: [], serving: ['pino', 'prom-client'] });
  });
});
