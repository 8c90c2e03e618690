import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { gql } from './support/client.js';

// The dashboard's browser tests start this script in a process of their own.
const SCRIPT = resolve(import.meta.dirname, '..', 'dist', 'testing', 'serve.js');
const skip = existsSync(SCRIPT) ? undefined : 'build first: npx tsc -b';

describe.skipIf(skip !== undefined)(`node packages/console-api/dist/testing/serve.js${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
  it('serves the sample Deployments and prints where, until SIGTERM', async () => {
    const child = spawn(process.execPath, [SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((ok, fail) => {
        createInterface({ input: child.stdout }).once('line', ok);
        child.once('exit', (code) => fail(new Error(`serve.js exited with ${code}`)));
      });
      const info = JSON.parse(line) as { url: string; wsUrl: string; tokens: Record<string, string> };
      expect(info.tokens['alice']).toBe('alice-token');
      const r = await gql(info.url, info.tokens['bob'], '{ deployments { edges { node { id phase } } } }');
      expect(r.data).toEqual({ deployments: { edges: [{ node: { id: 'team-b/blog', phase: 'Failed' } }, { node: { id: 'team-b/shop', phase: 'Running' } }] } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((ok) => child.once('exit', ok))).toBe(0);
  });
});
