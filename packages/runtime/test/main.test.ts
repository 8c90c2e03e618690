import { execFileSync, spawn } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialFunction, type Transport } from '@scia/runtime';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { makeTestPki } from '../../../test/support/certs.js';
import { healthClient } from '../../../test/support/health-client.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const noopMain = fileURLToPath(new URL('../../../test/support/noop-main.mjs', import.meta.url));

interface Exit {
  code: number | null;
  stderr: string;
}

function runToExit(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const child = spawn(process.execPath, [noopMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise<Exit>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

/** servingAddress waits for the runtime's JSON "serving function" log line and returns its address. */
async function servingAddress(stderr: () => string, exited: Promise<Exit>): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    for (const line of stderr().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { msg?: string; address?: string };
      if (entry.msg === 'serving function' && entry.address !== undefined) return entry.address;
    }
    const done = await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
    if (done !== undefined) throw new Error(`function exited early: ${stderr()}`);
  }
  throw new Error(`function never served: ${stderr()}`);
}

/** loggedAddress is the `field` of the runtime's JSON log line `msg`. */
function loggedAddress(stderr: string, msg: string, field: string): string {
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry['msg'] === msg && typeof entry[field] === 'string') return entry[field];
  }
  throw new Error(`no ${msg} line: ${stderr}`);
}

describe('a function binary', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [`${repo}node_modules/typescript/bin/tsc`, '-b', `${repo}packages/runtime`]);
  });

  const failures: Record<string, { reason: string; args: string[]; env?: Record<string, string>; code: number; stderr: RegExp }> = {
    badEnv: {
      reason: 'A variable that does not parse stops the process at start, naming it, before anything serves.',
      args: ['--insecure', '--address', '127.0.0.1:0', '--metrics-address', '', '--health-address', ''],
      env: { SCIA_CALL_BUDGET_MS: 'abc' },
      code: 1,
      stderr: /function-noop: invalid environment: SCIA_CALL_BUDGET_MS: must be a whole number of milliseconds from 1 to 600000, not "abc"/,
    },
    unknownFlag: { reason: 'An unknown flag is a usage error.', args: ['--bogus'], code: 2, stderr: /unknown flag --bogus/ },
    missingCerts: {
      reason: 'Without --insecure, unreadable certificates stop the process, naming the file.',
      args: ['--tls-server-certs-dir', '/nonexistent/certs', '--metrics-address', '', '--health-address', ''],
      code: 1,
      stderr: /cannot read TLS file \/nonexistent\/certs\/tls\.crt/,
    },
    badAddress: {
      reason: 'An address that cannot be bound stops the process.',
      args: ['--insecure', '--address', '203.0.113.1:1', '--metrics-address', '', '--health-address', ''],
      code: 1,
      stderr: /cannot listen on 203\.0\.113\.1:1/,
    },
  };

  it.each(Object.entries(failures))('exits non-zero: %s', async (_name, tc) => {
    const got = await runToExit(tc.args, tc.env);
    expect(got.code, tc.reason).toBe(tc.code);
    expect(got.stderr, tc.reason).toMatch(tc.stderr);
  });

  const drains: [NodeJS.Signals, Transport][] = [['SIGTERM', 'http2'], ['SIGINT', 'http2'], ['SIGTERM', 'frames'], ['SIGTERM', 'grpc-js']];
  it.each(drains)('serves with mutual TLS from TLS_SERVER_CERTS_DIR and drains on %s (%s transport)', async (signal, transport) => {
    const pki = makeTestPki();
    const run = spawn(process.execPath, [noopMain, '--address', '127.0.0.1:0', '--metrics-address', '', '--health-address', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TLS_SERVER_CERTS_DIR: pki.serverDir, SCIA_TRANSPORT: transport },
    });
    let stderr = '';
    run.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<Exit>((resolve) => run.on('exit', (code) => resolve({ code, stderr })));
    const address = await servingAddress(() => stderr, exited);
    const port = address.slice(address.lastIndexOf(':') + 1);
    const client = dialFunction(`localhost:${port}`, grpc.credentials.createSsl(pki.ca, pki.clientKey, pki.clientCert));
    const health = healthClient(loggedAddress(stderr, 'serving health checks', 'health'));
    try {
      const rsp = await client.run(RunFunctionRequest.fromPartial({ meta: { tag: 't' } }), 5_000);
      expect(rsp.meta?.tag).toBe('t');
      // kubelet's grpc probe: plaintext, on the health port, beside the mutual-TLS function port.
      expect(await health.check('')).toEqual({ status: 'SERVING' });
    } finally {
      client.close();
      health.close();
    }
    run.kill(signal);
    const got = await exited;
    expect(got.code).toBe(0);
    expect(got.stderr).toContain(`"signal":"${signal}"`);
    expect(got.stderr).toContain(`"transport":"${transport}"`);
  });
});
