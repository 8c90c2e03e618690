import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRenderCommand } from '@scia/cli';
import { capture, compose, registry } from './fixtures.js';

const XR = 'apiVersion: scia.io/v1alpha1\nkind: XDeployment\nmetadata: {name: flask-api}\nspec: {}\n';
const COMPOSITION = `apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata: {name: xdeployments.scia.io}
spec:
  compositeTypeRef: {apiVersion: scia.io/v1alpha1, kind: XDeployment}
  mode: Pipeline
  pipeline:
  - step: compose
    functionRef: {name: function-compose}
`;
const FUNCTIONS = 'apiVersion: pkg.crossplane.io/v1\nkind: Function\nmetadata: {name: function-compose}\nspec: {package: xpkg.example/function-compose:v0.1.0}\n';

/** files writes the three inputs into a fresh directory and returns their paths. */
function files(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'scia-render-args-'));
  const out: string[] = [];
  for (const [name, text] of [['xr.yaml', XR], ['composition.yaml', COMPOSITION], ['functions.yaml', FUNCTIONS]] as const) {
    writeFileSync(join(dir, name), text);
    out.push(join(dir, name));
  }
  return out;
}

describe('scia render arguments', () => {
  const cases: Record<string, { reason: string; argv: (paths: string[]) => string[]; want: { code: number; stderr: string } }> = {
    BadTimeout: {
      reason: '--timeout takes a Go duration.',
      argv: (p) => [...p, '--timeout', '10'],
      want: { code: 2, stderr: 'scia render: invalid --timeout "10": want a duration such as 30s or 1m\n' },
    },
    MissingArguments: {
      reason: 'XR, COMPOSITION and FUNCTIONS are required.',
      argv: (p) => p.slice(0, 1),
      want: { code: 2, stderr: 'scia render: expected three arguments: XR COMPOSITION FUNCTIONS; run scia render --help\n' },
    },
    UnknownFlag: {
      reason: 'Unknown flags are refused.',
      argv: (p) => [...p, '--frobnicate'],
      want: { code: 2, stderr: 'scia render: unknown flag --frobnicate; run scia render --help\n' },
    },
  };
  it.each(Object.entries(cases))('refuses: %s', async (_name, tc) => {
    const c = capture();
    const code = await newRenderCommand({ builtins: registry({ 'function-compose': compose }) }).run(tc.argv(files()), c.io);
    expect({ reason: tc.reason, code, stdout: c.stdout(), stderr: c.stderr() }).toEqual({ reason: tc.reason, stdout: '', ...tc.want });
  });
});
