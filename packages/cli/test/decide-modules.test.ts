import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RECORDER = fileURLToPath(new URL('../../../test/support/module-record.mjs', import.meta.url));

/** packagesLoaded runs `scia ARGS` as a process and returns the npm packages whose modules it loaded. */
function packagesLoaded(args: string[]): { status: number | null; stderr: string; packages: string[] } {
  const work = mkdtempSync(join(tmpdir(), 'scia-decide-modules-'));
  const record = join(work, 'modules.txt');
  const env = { PATH: process.env['PATH'] ?? '', HOME: work, SCIA_DATA_DIR: join(work, 'data'), SCIA_CACHE_DIR: join(work, 'cache'), SCIA_TEST_MODULE_RECORD: record };
  try {
    const run = spawnSync(process.execPath, ['--import', RECORDER, join(ROOT, 'bin', 'scia.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
    const packages = new Set<string>();
    for (const line of readFileSync(record, 'utf8').split('\n')) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line)?.[1];
      if (name !== undefined) packages.add(name);
    }
    return { status: run.status, stderr: run.stderr, packages: [...packages].sort() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// What serves functions over gRPC, exports metrics and writes logs: `scia decide` runs its steps in-process and prints.
const SERVING = ['@crossplane-org/function-sdk-typescript', '@grpc/grpc-js', '@grpc/proto-loader', 'grpc-health-check', 'protobufjs', 'prom-client', 'pino'];

describe('scia decide loads no serving code', () => {
  it('decides without loading gRPC, the SDK, metrics or the logger', { timeout: 120_000 }, () => {
    const decided = packagesLoaded(['decide', '--repo', 'examples/apps/flask-api', '--prompt', 'small API for our mobile app']);
    expect({ status: decided.status, stderr: decided.stderr, serving: decided.packages.filter((p) => SERVING.includes(p)) }).toEqual({ status: 0, stderr: '', serving: [] });
    // The record is whole: the store and the steps' own dependencies are there.
    expect(decided.packages).toEqual(expect.arrayContaining(['@electric-sql/pglite', 'pg', 'zod']));
  });

  it('serves with them: the record sees what a serving command loads', { timeout: 60_000 }, () => {
    const served = packagesLoaded(['serve', '--help']);
    expect({ status: served.status, serving: served.packages.filter((p) => SERVING.includes(p)) }).toEqual({ status: 0, serving: expect.arrayContaining(['@grpc/grpc-js', 'prom-client', 'pino']) as unknown });
  });
});
