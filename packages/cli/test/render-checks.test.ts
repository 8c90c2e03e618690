import { describe, expect, it } from 'vitest';
import { newRenderCommand, type BuiltinRegistry } from '@scia/cli';
import { XR, capture, compose, composition, fatal, fn, registry, step, workdir } from './render-fixtures.js';

interface Case {
  reason: string;
  files?: Record<string, string>;
  args?: string[];
  positionals?: string[];
  want: { code: number; stderr: unknown };
}

const COMPOSE = step('compose', 'function-compose');

/** matching is expect.stringMatching, typed. */
const matching = (re: RegExp): unknown => expect.stringMatching(re) as unknown;

const cases: Record<string, Case> = {
  KindMismatch: {
    reason: "The Composition's compositeTypeRef.kind must be the XR's kind.",
    files: { 'composition.yaml': composition(COMPOSE).replace('kind: XDeployment', 'kind: XOther') },
    want: { code: 1, stderr: "scia render: composition's compositeTypeRef.kind (XOther) does not match XR's kind (XDeployment)\n" },
  },
  ApiVersionMismatch: {
    reason: "The Composition's compositeTypeRef.apiVersion must be the XR's apiVersion.",
    files: { 'composition.yaml': composition(COMPOSE).replace('apiVersion: scia.io/v1alpha1', 'apiVersion: scia.io/v1beta1') },
    want: {
      code: 1,
      stderr: "scia render: composition's compositeTypeRef.apiVersion (scia.io/v1beta1) does not match XR's apiVersion (scia.io/v1alpha1)\n",
    },
  },
  MissingSelectorLabel: {
    reason: "Every label of the XR's compositionSelector.matchLabels must be on the Composition.",
    files: { 'xr.yaml': `${XR}  compositionSelector:\n    matchLabels: {provider: aws, tier: gold}\n`, 'composition.yaml': composition(COMPOSE, '  labels: {provider: aws}\n') },
    want: { code: 1, stderr: 'scia render: composition "xdeployments.scia.io" is missing required label "tier"\n' },
  },
  WrongSelectorLabel: {
    reason: 'A selector label with another value on the Composition is refused, naming both values.',
    files: { 'xr.yaml': `${XR}  compositionSelector:\n    matchLabels: {provider: aws}\n`, 'composition.yaml': composition(COMPOSE, '  labels: {provider: gcp}\n') },
    want: { code: 1, stderr: 'scia render: composition "xdeployments.scia.io" has incorrect value for label "provider": want "aws", got "gcp"\n' },
  },
  NotPipeline: {
    reason: 'Only mode Pipeline compositions render.',
    files: { 'composition.yaml': composition(COMPOSE).replace('mode: Pipeline', 'mode: Resources') },
    want: {
      code: 1,
      stderr: 'scia render: render only supports Composition Function pipelines: Composition "xdeployments.scia.io" must use spec.mode: Pipeline\n',
    },
  },
  NotAComposition: {
    reason: 'The COMPOSITION argument must hold an apiextensions.crossplane.io/v1 Composition.',
    files: { 'composition.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n' },
    want: { code: 1, stderr: 'scia render: cannot load Composition from "composition.yaml": not a composition: ConfigMap/cm\n' },
  },
  NotAFunction: {
    reason: 'FUNCTIONS must hold only pkg.crossplane.io Functions.',
    files: { 'functions.yaml': `${fn('function-compose')}---\napiVersion: pkg.crossplane.io/v1\nkind: Provider\nmetadata: {name: provider-aws}\n` },
    want: { code: 1, stderr: 'scia render: cannot load functions from "functions.yaml": not a function: Provider/provider-aws\n' },
  },
  NotBuiltin: {
    reason: 'A Function that is not a SCIA built-in needs the Development annotation.',
    files: { 'functions.yaml': fn('function-patch-and-transform') },
    want: {
      code: 1,
      stderr:
        'scia render: cannot render composite resource: cannot start function runtimes: cannot get runtime for Function "function-patch-and-transform": ' +
        "scia render can only run SCIA's own functions in-process; run this one yourself and annotate it render.crossplane.io/runtime: Development " +
        '(target in render.crossplane.io/runtime-development-target, default localhost:9443)\n',
    },
  },
  BuiltinCannotStart: {
    reason: 'A built-in that cannot start stops the render, naming it.',
    files: { 'functions.yaml': fn('function-broken'), 'composition.yaml': composition(step('broken', 'function-broken')) },
    want: {
      code: 1,
      stderr: 'scia render: cannot render composite resource: cannot start function runtimes: cannot start Function "function-broken": cannot connect to the database: refused\n',
    },
  },
  UnknownRuntime: {
    reason: 'An unknown runtime annotation is refused.',
    files: { 'functions.yaml': fn('function-compose').replace('  name: function-compose\n', '  name: function-compose\n  annotations: {render.crossplane.io/runtime: Podman}\n') },
    want: {
      code: 1,
      stderr:
        'scia render: cannot render composite resource: cannot start function runtimes: cannot get runtime for Function "function-compose": ' +
        'unsupported "render.crossplane.io/runtime" annotation value "Podman" (unknown runtime)\n',
    },
  },
  UnknownFunction: {
    reason: 'A step naming a Function missing from FUNCTIONS fails that step.',
    files: { 'composition.yaml': composition(step('other', 'function-other')) },
    want: {
      code: 1,
      stderr: 'scia render: cannot render composite resource: cannot run pipeline step "other": unknown Function "function-other" - does it exist in your Functions file?\n',
    },
  },
  Fatal: {
    reason: 'A Fatal result aborts the render: no YAML, the step and its message named.',
    files: { 'composition.yaml': composition(COMPOSE + step('validate', 'function-fatal')), 'functions.yaml': fn('function-compose') + fn('function-fatal') },
    args: ['-r'],
    want: { code: 1, stderr: 'scia render: cannot render composite resource: pipeline step "validate" returned a fatal result: cannot parse spec.budget: negative\n' },
  },
  BadContextValue: {
    reason: 'A --context-values value must be JSON (or YAML).',
    args: ['--context-values', 'scia.io/env={"unterminated'],
    want: { code: 1, stderr: matching(/^scia render: cannot render composite resource: cannot unmarshal YAML\/JSON for context key "scia\.io\/env": .+\n$/) },
  },
  MissingSecret: {
    reason: 'A step credential must name a supplied Secret.',
    files: {
      'composition.yaml': composition(step('compose', 'function-compose', '    credentials:\n    - name: aws\n      source: Secret\n      secretRef: {name: aws-creds, namespace: crossplane-system}\n')),
    },
    want: {
      code: 1,
      stderr: 'scia render: cannot render composite resource: cannot get credentials from secret "aws-creds": secret "aws-creds" not found\n',
    },
  },
  FullXrWithoutSpec: {
    reason: '-x needs an XR with a spec, as crossplane render does.',
    files: { 'xr.yaml': 'apiVersion: scia.io/v1alpha1\nkind: XDeployment\nmetadata: {name: flask-api}\n' },
    args: ['-x'],
    want: { code: 1, stderr: 'scia render: cannot get composite resource spec: spec: no such field\n' },
  },
  XrdWithoutVersion: {
    reason: "--xrd needs a schema for the XR's version.",
    files: { 'xrd.yaml': 'apiVersion: apiextensions.crossplane.io/v1\nkind: CompositeResourceDefinition\nmetadata: {name: xdeployments.scia.io}\nspec:\n  versions: []\n' },
    args: ['--xrd', 'xrd.yaml'],
    want: { code: 1, stderr: 'scia render: cannot default values for XR "flask-api": XRD "xdeployments.scia.io" has no schema for version "v1alpha1"\n' },
  },
  BadTimeout: {
    reason: '--timeout takes a Go duration.',
    args: ['--timeout', '10'],
    want: { code: 2, stderr: 'scia render: invalid --timeout "10": want a duration such as 30s or 1m\n' },
  },
  MissingArguments: {
    reason: 'XR, COMPOSITION and FUNCTIONS are required.',
    positionals: ['xr.yaml'],
    want: { code: 2, stderr: 'scia render: expected three arguments: XR COMPOSITION FUNCTIONS; run scia render --help\n' },
  },
  UnknownFlag: {
    reason: 'Unknown flags are refused.',
    args: ['--frobnicate'],
    want: { code: 2, stderr: 'scia render: unknown flag --frobnicate; run scia render --help\n' },
  },
  EmptyFunctionsDir: {
    reason: 'A FUNCTIONS directory must hold YAML files.',
    positionals: ['xr.yaml', 'composition.yaml', 'fns'],
    files: { 'fns/notes.txt': 'functions.yaml', 'fns/nested/function.yaml': fn('function-compose') },
    want: { code: 1, stderr: 'scia render: cannot load functions from "fns": cannot load YAML stream from file: no YAML files found in "fns" (.yaml or .yml)\n' },
  },
};

const BUILTINS: BuiltinRegistry = {
  ...registry({ 'function-compose': compose, 'function-fatal': fatal }),
  'function-broken': () =>
    Promise.reject(new Error('cannot connect to the database: refused')),
};

describe('scia render refuses', () => {
  it.each(Object.entries(cases))('%s', async (_name, tc) => {
    const files = { 'xr.yaml': XR, 'composition.yaml': composition(COMPOSE), 'functions.yaml': fn('function-compose'), ...tc.files };
    const path = workdir(files);
    const positionals = (tc.positionals ?? ['xr.yaml', 'composition.yaml', 'functions.yaml']).map(path);
    const args = (tc.args ?? []).map((a) => (a in files ? path(a) : a));
    const c = capture();
    const code = await newRenderCommand({ builtins: BUILTINS }).run([...positionals, ...args], c.io);
    const stderr = c.stderr().replaceAll(`${path('.')}/`, '');
    expect({ reason: tc.reason, code, stdout: c.stdout(), stderr }).toEqual({ reason: tc.reason, stdout: '', ...tc.want });
  });
});
