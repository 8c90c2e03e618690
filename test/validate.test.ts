import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { crdDir } from '@scia/schemas';
import { validateCommand as command } from '@scia/cli';

const root = join(import.meta.dirname, '..');
const where = crdDir();
if (!where.exists) console.warn(`skipping scia validate tests: no CRDs at ${where.dir} (run npm run crds or set SCIA_CRD_DIR)`);

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function validate(argv: string[], cwd: string, env: NodeJS.ProcessEnv = { SCIA_CRD_DIR: where.dir }): Promise<Outcome> {
  const out = sink();
  const err = sink();
  const status = await command.run(argv, { stdout: out.stream, stderr: err.stream, env, cwd });
  return { status, stdout: out.text(), stderr: err.text() };
}

const claim = (spec: string, annotations = ''): string => `apiVersion: scia.io/v1alpha1
kind: Deployment
metadata:
  name: api
  namespace: team${annotations}
spec:
${spec}`;

interface Case {
  reason: string;
  files: Record<string, string>;
  want: Outcome;
}

const cases: Record<string, Case> = {
  validClaim: {
    reason: 'A claim with what it needs has no problems and prints nothing.',
    files: { 'claim.yaml': claim('  repository: {url: https://github.com/acme/api}\n  region: eu-west-3\n') },
    want: { status: 0, stdout: '', stderr: '' },
  },
  badClaim: {
    reason: 'Schema problems and CEL rules of the XRD-generated CRD are reported one per line, naming the field.',
    files: { 'claim.yaml': claim('  repository: {url: x}\n  region: eu-west-3\n  budget: {enforcementMode: hard}\n  strategy: cheap\n') },
    want: {
      status: 1,
      stdout: [
        'claim.yaml: Deployment/api: spec.strategy: must be one of ["auto","vm","kubernetes","serverless"] (as a v1 claim)',
        'claim.yaml: Deployment/api: spec.budget.maxMonthlyCost: a hard budget needs maxMonthlyCost (as a v1 claim)',
        '',
      ].join('\n'),
      stderr: 'scia validate: 2 problem(s) in 1 document(s) of 1 file(s)\n',
    },
  },
  crossplaneKinds: {
    reason: 'Crossplane kinds are checked against the pinned CRDs; a document without a kind is a problem too.',
    files: {
      'a.yaml': 'apiVersion: apiextensions.crossplane.io/v1\nkind: Composition\nmetadata: {name: c}\nspec:\n  compositeTypeRef: {apiVersion: scia.io/v1alpha1, kind: XDeployment}\n  mode: Pipelin\n  pipeline: [{step: a, functionRef: {name: f}}]\n---\nfoo: bar\n',
    },
    want: {
      status: 1,
      stdout: [
        'a.yaml: Composition/c: spec.mode: must be one of ["Pipeline"]',
        'a.yaml: Composition/c: spec: an array of pipeline steps is required in Pipeline mode',
        'a.yaml: ?/#2: (root): a document needs string apiVersion and kind',
        '',
      ].join('\n'),
      stderr: 'scia validate: 3 problem(s) in 2 document(s) of 1 file(s)\n',
    },
  },
  metaPackage: {
    reason: 'A package meta file is checked for what Crossplane requires: one package per dependency, semver constraints.',
    files: {
      'crossplane.yaml': 'apiVersion: meta.pkg.crossplane.io/v1\nkind: Configuration\nmetadata: {name: scia}\nspec:\n  dependsOn:\n    - provider: xpkg.crossplane.io/crossplane-contrib/provider-aws-ec2\n      function: ghcr.io/x/function-y\n      version: latest\n',
    },
    want: {
      status: 1,
      stdout: [
        'crossplane.yaml: Configuration/scia: spec.dependsOn[0].version: must be a semantic version constraint such as ">=v1.0.0"',
        'crossplane.yaml: Configuration/scia: spec.dependsOn[0]: name exactly one of provider, function, configuration or package',
        '',
      ].join('\n'),
      stderr: 'scia validate: 2 problem(s) in 1 document(s) of 1 file(s)\n',
    },
  },
  expectedProblems: {
    reason: 'A document marked as wrong on purpose is a problem only when it validates.',
    files: {
      'wrong.yaml': claim('  repository: {url: x}\n  region: nowhere\n', '\n  annotations: {validate.scia.io/expect-problems: "true"}'),
      'right.yaml': claim('  repository: {url: x}\n  region: eu-west-3\n', '\n  annotations: {validate.scia.io/expect-problems: "true"}'),
    },
    want: {
      status: 1,
      stdout: 'right.yaml: Deployment/api: (root): validates, but is marked validate.scia.io/expect-problems\n',
      stderr: 'scia validate: 1 problem(s) in 2 document(s) of 2 file(s)\n',
    },
  },
  renderOutput: {
    reason: 'Render output validates: the XR carries status and no spec, Results have no CRD.',
    files: {
      'expected.yaml': '---\napiVersion: scia.io/v1alpha1\nkind: XDeployment\nmetadata: {name: a}\nstatus:\n  phase: Running\n  conditions: [{type: Ready, status: "True", reason: Available, lastTransitionTime: "2024-01-01T00:00:00Z"}]\n---\napiVersion: render.crossplane.io/v1beta1\nkind: Result\nseverity: SEVERITY_NORMAL\nmessage: hi\n',
    },
    want: { status: 0, stdout: '', stderr: '' },
  },
};

describe.skipIf(!where.exists)('scia validate', () => {
  it.each(Object.entries(cases))('%s', async (_, c) => {
    const dir = mkdtempSync(join(tmpdir(), 'scia-validate-'));
    for (const [name, text] of Object.entries(c.files)) writeFileSync(join(dir, name), text);
    expect(await validate(Object.keys(c.files), dir), c.reason).toEqual(c.want);
  });

  it('finds no problem in the repository (XRDs, compositions, packages, examples)', async () => {
    expect(await validate([], root)).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('prints a JSON report with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scia-validate-'));
    writeFileSync(join(dir, 'x.yaml'), claim('  repository: {url: x}\n'));
    const got = await validate(['--json', 'x.yaml'], dir);
    expect({ status: got.status, report: JSON.parse(got.stdout) as unknown }).toEqual({
      status: 1,
      report: {
        files: 1,
        documents: 1,
        problems: [{ file: 'x.yaml', document: 1, kind: 'Deployment', name: 'api', field: 'spec.region', message: 'required unless spec.cloudProvider names a CloudProvider with a defaultRegion (as a v1 claim)' }],
        skipped: [],
      },
    });
  });

  it('fails with a one-line reason on a path that does not exist', async () => {
    expect(await validate(['nope.yaml'], root)).toEqual({
      status: 1,
      stdout: '',
      stderr: 'scia validate: cannot validate: no such file or directory: nope.yaml\n',
    });
  });
});

describe('scia validate without CRDs', () => {
  it('says where it looked and how to fetch them', async () => {
    const got = await validate([], root, { SCIA_CRD_DIR: '/nonexistent/crds' });
    expect(got).toEqual({
      status: 1,
      stdout: '',
      stderr: 'scia validate: cannot load CRDs: no CRD directory at /nonexistent/crds (searched /nonexistent/crds); set SCIA_CRD_DIR or run `npm run crds`\n',
    });
  });
});
