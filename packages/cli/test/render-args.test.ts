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

describe('scia render --help', () => {
  /**
   * UPSTREAM_FLAGS are crossplane render v2.2.3's flags (cmd/crank/render/cmd.go Cmd, plus crank's --verbose
   * and kong's --help): long name, shorthand, default.
   */
  const UPSTREAM_FLAGS: Array<[string, string | undefined, string | undefined]> = [
    ['help', 'h', undefined],
    ['verbose', undefined, undefined],
    ['context-files', undefined, undefined],
    ['context-values', undefined, undefined],
    ['include-function-results', 'r', undefined],
    ['include-full-xr', 'x', undefined],
    ['observed-resources', 'o', undefined],
    ['extra-resources', undefined, undefined],
    ['required-resources', 'e', undefined],
    ['required-schemas', 's', undefined],
    ['include-context', 'c', undefined],
    ['function-credentials', undefined, undefined],
    ['function-annotations', 'a', undefined],
    ['timeout', undefined, '1m'],
    ['xrd', undefined, undefined],
  ];

  it('lists every flag crossplane render has, with its shorthand and default', async () => {
    const c = capture();
    const code = await newRenderCommand().run(['--help'], c.io);
    const lines = c.stdout().split('\n').filter((l) => /^ {2}(-\w, | {4})--/.test(l));
    const listed = lines.map((l): [string, string | undefined, string | undefined] => {
      const m = /^ {2}(?:-(\w), | {4})--([\w-]+)(?:=(\S+))?/.exec(l);
      const value = m?.[3];
      return [m?.[2] ?? '', m?.[1], value !== undefined && /^[0-9]/.test(value) ? value : undefined];
    });
    expect({ code, listed }).toEqual({ code: 0, listed: UPSTREAM_FLAGS });
  });

  it('accepts each of them', async () => {
    const c = capture();
    const dir = files();
    const argv = [...dir, '-r', '-x', '-c', '--timeout=30s', '-a', 'render.crossplane.io/runtime=Docker', '--context-values', 'k={"a": 1}'];
    const code = await newRenderCommand({ builtins: registry({ 'function-compose': compose }) }).run(argv, c.io);
    expect({ code, stderr: c.stderr(), context: c.stdout().includes('kind: Context') }).toEqual({ code: 0, stderr: '', context: true });
  });
});

describe('scia render --verbose', () => {
  it('says on stderr which runtime serves each Function', async () => {
    const c = capture();
    const code = await newRenderCommand({ builtins: registry({ 'function-compose': compose }) }).run([...files(), '--verbose'], c.io);
    const notes = c.stderr().split('\n').filter((l) => l.startsWith('scia render: ')).map((l) => l.replace(/127\.0\.0\.1:\d+/, 'ADDRESS'));
    expect({ code, notes }).toEqual({ code: 0, notes: ['scia render: Function "function-compose": runtime Docker, served in-process at ADDRESS'] });
  });
});
