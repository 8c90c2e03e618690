import { describe, expect, it } from 'vitest';
import type { BuiltinRegistry, RenderOptions } from '@scia/render';
import { XR, compose, composition, fatal, fn, registry, renderIn, step, type FilePaths } from './render-fixtures.js';

interface Case {
  reason: string;
  files?: Record<string, string>;
  paths?: FilePaths;
  options?: Partial<RenderOptions>;
  want: unknown;
}

const COMPOSE = step('compose', 'function-compose');

/** matching is expect.stringMatching, typed. */
const matching = (re: RegExp): unknown => expect.stringMatching(re) as unknown;

const cases: Record<string, Case> = {
  KindMismatch: {
    reason: "The Composition's compositeTypeRef.kind must be the XR's kind.",
    files: { 'composition.yaml': composition(COMPOSE).replace('kind: XDeployment', 'kind: XOther') },
    want: "composition's compositeTypeRef.kind (XOther) does not match XR's kind (XDeployment)",
  },
  ApiVersionMismatch: {
    reason: "The Composition's compositeTypeRef.apiVersion must be the XR's apiVersion.",
    files: { 'composition.yaml': composition(COMPOSE).replace('apiVersion: scia.io/v1alpha1', 'apiVersion: scia.io/v1beta1') },
    want: "composition's compositeTypeRef.apiVersion (scia.io/v1beta1) does not match XR's apiVersion (scia.io/v1alpha1)",
  },
  MissingSelectorLabel: {
    reason: "Every label of the XR's spec.crossplane.compositionSelector.matchLabels must be on the Composition (cmd/crank/render/cmd.go Run).",
    files: { 'xr.yaml': `${XR}  crossplane:\n    compositionSelector:\n      matchLabels: {provider: aws, tier: gold}\n`, 'composition.yaml': composition(COMPOSE, '  labels: {provider: aws}\n') },
    want: 'composition "xdeployments.scia.io" is missing required label "tier"',
  },
  WrongSelectorLabel: {
    reason: 'A selector label with another value on the Composition is refused, naming both values.',
    files: { 'xr.yaml': `${XR}  crossplane:\n    compositionSelector:\n      matchLabels: {provider: aws}\n`, 'composition.yaml': composition(COMPOSE, '  labels: {provider: gcp}\n') },
    want: 'composition "xdeployments.scia.io" has incorrect value for label "provider": want "aws", got "gcp"',
  },
  NotPipeline: {
    reason: 'Only mode Pipeline compositions render.',
    files: { 'composition.yaml': composition(COMPOSE).replace('mode: Pipeline', 'mode: Resources') },
    want: 'render only supports Composition Function pipelines: Composition "xdeployments.scia.io" must use spec.mode: Pipeline',
  },
  NotAComposition: {
    reason: 'The COMPOSITION argument must hold an apiextensions.crossplane.io/v1 Composition.',
    files: { 'composition.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n' },
    want: 'cannot load Composition from "composition.yaml": not a composition: ConfigMap/cm',
  },
  NotAFunction: {
    reason: 'FUNCTIONS must hold only pkg.crossplane.io Functions.',
    files: { 'functions.yaml': `${fn('function-compose')}---\napiVersion: pkg.crossplane.io/v1\nkind: Provider\nmetadata: {name: provider-aws}\n` },
    want: 'cannot load functions from "functions.yaml": not a function: Provider/provider-aws',
  },
  NotBuiltin: {
    reason:
      'A Function that is not built in needs Docker under the default runtime: the error names it, its package and the Development annotations ' +
      'that would let it run (cmd/crank/render/runtime.go GetRuntime defaults to Docker).',
    files: { 'functions.yaml': fn('function-auto-ready') },
    want:
      'cannot render composite resource: cannot start function runtimes: cannot get runtime for Function "function-auto-ready": ' +
      'scia render runs SCIA\'s functions in-process and has no Docker to run package "xpkg.example/function-auto-ready:v0.1.0"; ' +
      'serve the function yourself with --insecure (for example docker run -p 9443:9443 IMAGE --insecure) and annotate Function "function-auto-ready" ' +
      'render.crossplane.io/runtime: Development, with render.crossplane.io/runtime-development-target: HOST:PORT when it does not listen at localhost:9443',
  },
  UnknownCleanup: {
    reason: 'An unknown runtime-docker-cleanup is refused, as crossplane render does without reaching Docker (cmd/crank/render/runtime_docker.go GetDockerCleanup).',
    files: { 'functions.yaml': fn('function-compose').replace('  name: function-compose\n', '  name: function-compose\n  annotations: {render.crossplane.io/runtime-docker-cleanup: Keep}\n') },
    want:
      'cannot render composite resource: cannot start function runtimes: cannot get runtime for Function "function-compose": cannot get cleanup policy for Function "function-compose": ' +
      'unsupported "render.crossplane.io/runtime-docker-cleanup" annotation value "Keep" (unknown cleanup policy)',
  },
  UnknownPullPolicy: {
    reason: 'An unknown runtime-docker-pull-policy is refused (cmd/crank/render/runtime_docker.go GetDockerPullPolicy).',
    files: { 'functions.yaml': fn('function-compose').replace('  name: function-compose\n', '  name: function-compose\n  annotations: {render.crossplane.io/runtime-docker-pull-policy: Sometimes}\n') },
    want:
      'cannot render composite resource: cannot start function runtimes: cannot get runtime for Function "function-compose": cannot get pull policy for Function "function-compose": ' +
      'unsupported "render.crossplane.io/runtime-docker-pull-policy" annotation value "Sometimes" (unknown pull policy)',
  },
  BuiltinCannotStart: {
    reason: 'A built-in that cannot start stops the render, naming it.',
    files: { 'functions.yaml': fn('function-broken'), 'composition.yaml': composition(step('broken', 'function-broken')) },
    want: 'cannot render composite resource: cannot start function runtimes: cannot start Function "function-broken": cannot connect to the database: refused',
  },
  UnknownRuntime: {
    reason: 'An unknown runtime annotation is refused.',
    files: { 'functions.yaml': fn('function-compose').replace('  name: function-compose\n', '  name: function-compose\n  annotations: {render.crossplane.io/runtime: Podman}\n') },
    want: 'cannot render composite resource: cannot start function runtimes: cannot get runtime for Function "function-compose": ' +
        'unsupported "render.crossplane.io/runtime" annotation value "Podman" (unknown runtime)',
  },
  UnknownFunction: {
    reason: 'A step naming a Function missing from FUNCTIONS fails that step.',
    files: { 'composition.yaml': composition(step('other', 'function-other')) },
    want: 'cannot render composite resource: cannot run pipeline step "other": unknown Function "function-other" - does it exist in your Functions file?',
  },
  Fatal: {
    reason: 'A Fatal result aborts the render: no YAML, the step and its message named.',
    files: { 'composition.yaml': composition(COMPOSE + step('validate', 'function-fatal')), 'functions.yaml': fn('function-compose') + fn('function-fatal') },
    options: { includeResults: true },
    want: 'cannot render composite resource: pipeline step "validate" returned a fatal result: cannot parse spec.budget: negative',
  },
  BadContextValue: {
    reason: 'A --context-values value must be JSON (or YAML).',
    paths: { contextValues: { 'scia.io/env': '{"unterminated' } },
    want: matching(/^cannot render composite resource: cannot unmarshal YAML\/JSON for context key "scia\.io\/env": .+$/),
  },
  MissingSecret: {
    reason: 'A step credential must name a supplied Secret.',
    files: {
      'composition.yaml': composition(step('compose', 'function-compose', '    credentials:\n    - name: aws\n      source: Secret\n      secretRef: {name: aws-creds, namespace: crossplane-system}\n')),
    },
    want: 'cannot render composite resource: cannot get credentials from secret "aws-creds": secret "aws-creds" not found',
  },
  FullXrWithoutSpec: {
    reason: '-x needs an XR with a spec, as crossplane render does.',
    files: { 'xr.yaml': 'apiVersion: scia.io/v1alpha1\nkind: XDeployment\nmetadata: {name: flask-api}\n' },
    options: { includeFullXr: true },
    want: 'cannot get composite resource spec: spec: no such field',
  },
  XrdWithoutVersion: {
    reason: "--xrd must define the XR's apiVersion (cmd/crank/render/xrd.go DefaultValues).",
    files: {
      'xrd.yaml': 'apiVersion: apiextensions.crossplane.io/v1\nkind: CompositeResourceDefinition\nmetadata: {name: xdeployments.scia.io}\nspec:\n  group: scia.io\n  versions: [{name: v1beta1}]\n',
    },
    paths: { xrd: 'xrd.yaml' },
    want: "cannot default values for XR \"flask-api\": the specified API version 'scia.io/v1alpha1' does not exist in the XRD",
  },
  RuntimeBeforeContext: {
    reason: 'Runtimes start before context values are parsed, so a bad runtime is reported first (cmd/crank/render/render.go Render).',
    files: { 'functions.yaml': fn('function-compose').replace('  name: function-compose\n', '  name: function-compose\n  annotations: {render.crossplane.io/runtime: Podman}\n') },
    paths: { contextValues: { 'scia.io/env': '{"unterminated' } },
    want:
      'cannot render composite resource: cannot start function runtimes: cannot get runtime for Function "function-compose": ' +
      'unsupported "render.crossplane.io/runtime" annotation value "Podman" (unknown runtime)',
  },
  XrdBeforeCredentials: {
    reason: 'XRD defaults apply as the XRD loads, before credentials load (cmd/crank/render/cmd.go Run).',
    files: { 'xrd.yaml': 'apiVersion: apiextensions.crossplane.io/v1\nkind: CompositeResourceDefinition\nmetadata: {name: x}\nspec: {group: other.io, versions: []}\n' },
    paths: { xrd: 'xrd.yaml', functionCredentials: 'missing.yaml' },
    want: "cannot default values for XR \"flask-api\": the specified API version 'scia.io/v1alpha1' does not exist in the XRD",
  },
  EmptyFunctionsDir: {
    reason: 'A FUNCTIONS directory must hold YAML files.',
    paths: { functions: 'fns' },
    files: { 'fns/notes.txt': 'functions.yaml', 'fns/nested/function.yaml': fn('function-compose') },
    want: 'cannot load functions from "fns": cannot load YAML stream from file: no YAML files found in "fns" (.yaml or .yml)',
  },
};

const BUILTINS: BuiltinRegistry = {
  ...registry({ 'function-compose': compose, 'function-fatal': fatal }),
  'function-broken': () => Promise.reject(new Error('cannot connect to the database: refused')),
};

describe('renderFiles refuses', () => {
  it.each(Object.entries(cases))('%s', async (_name, tc) => {
    const files = { 'xr.yaml': XR, 'composition.yaml': composition(COMPOSE), 'functions.yaml': fn('function-compose'), ...tc.files };
    const got = await renderIn(files, tc.paths ?? {}, { builtins: BUILTINS, ...tc.options });
    expect({ reason: tc.reason, got }).toEqual({ reason: tc.reason, got: { ok: false, error: tc.want } });
  });
});
