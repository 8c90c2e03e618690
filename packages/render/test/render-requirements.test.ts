import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningFunctionServer } from '@scia/runtime';
import { renderPipeline, MAX_REQUIREMENTS_ITERATIONS, type JsonObject, type RenderOptions, type Result } from '@scia/render';
import { XR, composition, fatal, fn, neverSettles, registry, renderIn, requireConfig, requireEverySecret, serveTest, step, type FilePaths } from './render-fixtures.js';

const REQUIRED = `apiVersion: v1
kind: ConfigMap
metadata: {name: other-config}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
---
apiVersion: v1
kind: Secret
metadata: {name: s2, labels: {team: a}}
---
apiVersion: v1
kind: Secret
metadata: {name: s1, labels: {team: a, tier: x}}
---
apiVersion: v1
kind: Secret
metadata: {name: s3, labels: {team: b}}
---
apiVersion: v1
kind: Secret
metadata: {name: app-config}
`;

const WANT = `---
apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api
status:
  conditions:
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    reason: Available
    status: "True"
    type: Ready
  config:
  - app-config
  missing: []
  secrets:
  - s1
  - s2
`;

function render(paths: FilePaths, functions: string, files: Record<string, string> = {}, options: Partial<RenderOptions> = {}): Promise<Result<string>> {
  const all = { 'xr.yaml': XR, 'composition.yaml': composition(step('require', 'function-require')), 'functions.yaml': functions, 'required.yaml': REQUIRED, ...files };
  return renderIn(all, paths, { builtins: registry({ 'function-require': requireConfig, 'function-fatal': fatal, 'function-every': requireEverySecret }), ...options });
}

describe('renderFiles requirements', () => {
  const cases: Record<string, { reason: string; paths: FilePaths; want: Result<string> }> = {
    RequiredResources: {
      reason: 'Requirements are answered by apiVersion+kind then name or labels, in name order; no match gives an entry with no items.',
      paths: { requiredResources: 'required.yaml' },
      want: { ok: true, value: WANT },
    },
    ExtraResources: {
      reason: '--extra-resources is the older name of the same input.',
      paths: { extraResources: 'required.yaml' },
      want: { ok: true, value: WANT },
    },
    NothingSupplied: {
      reason: 'Without required resources every requirement gets an entry with no items.',
      paths: {},
      want: { ok: true, value: WANT.replace('  config:\n  - app-config\n', '  config: []\n').replace('  secrets:\n  - s1\n  - s2\n', '  secrets: []\n') },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, tc) => {
    const got = await render(tc.paths, fn('function-require'));
    expect({ reason: tc.reason, ...got }).toEqual({ reason: tc.reason, ...tc.want });
  });

  it('answers the bootstrap requirements a step declares before its first call', async () => {
    const bootstrap = step(
      'require',
      'function-require',
      '    requirements:\n      requiredResources:\n      - {requirementName: config, apiVersion: v1, kind: ConfigMap, name: app-config}\n' +
        '      - {requirementName: secrets, apiVersion: v1, kind: Secret, matchLabels: {team: a}}\n',
    );
    const got = await render({ requiredResources: 'required.yaml' }, fn('function-require'), { 'composition.yaml': composition(bootstrap) });
    expect(got).toEqual({ ok: true, value: WANT });
  });

  /** gotStatus is the rendered XR of a function-every step reporting the names it got per requirement. */
  const gotStatus = (got: string): string => `---
apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api
status:
  conditions:
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    reason: Available
    status: "True"
    type: Ready
  got:
${got}`;
  const everyCases: Record<string, { reason: string; requirements: string; want: string }> = {
    BootstrapKeptOnRetry: {
      reason:
        "A step's bootstrap requirements are restored before the requirements it returns are added, on every call " +
        '(internal/xfn/required_resources.go FetchingFunctionRunner keeps bootstrapResources and clones them each iteration).',
      requirements: '      - {requirementName: config, apiVersion: v1, kind: ConfigMap, name: app-config}\n',
      want: gotStatus('    config:\n    - app-config\n    secrets:\n    - app-config\n    - s1\n    - s2\n    - s3\n'),
    },
    BootstrapWithoutNameOrLabels: {
      reason:
        'A bootstrap selector with neither name nor matchLabels matches every resource of its apiVersion and kind, in name order ' +
        '(internal/xfn/selector.go ToProtobufResourceSelector sets no match; cmd/crank/render/render.go FilteringFetcher matches all).',
      requirements: '      - {requirementName: configs, apiVersion: v1, kind: ConfigMap}\n',
      want: gotStatus('    configs:\n    - app-config\n    - other-config\n    secrets:\n    - app-config\n    - s1\n    - s2\n    - s3\n'),
    },
  };
  it.each(Object.entries(everyCases))('%s', async (_name, tc) => {
    const withRequirements = step('every', 'function-every', `    requirements:\n      requiredResources:\n${tc.requirements}`);
    const got = await render({ requiredResources: 'required.yaml' }, fn('function-every'), { 'composition.yaml': composition(withRequirements) });
    expect({ reason: tc.reason, got }).toEqual({ reason: tc.reason, got: { ok: true, value: tc.want } });
  });

  it(`gives up when requirements never settle, after ${MAX_REQUIREMENTS_ITERATIONS + 1} calls`, async () => {
    const loop = neverSettles();
    const inputs = {
      xr: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'flask-api' } },
      composition: compositionObject([{ step: 'loop', functionRef: { name: 'function-loop' } }]),
      functions: [functionObject('function-loop')],
    };
    const got = await renderPipeline(inputs, { builtins: registry({ 'function-loop': loop.run }) });
    expect({ got, calls: loop.calls() }).toEqual({
      got: {
        ok: false,
        error: `cannot render composite resource: cannot run pipeline step "loop": requirements didn't stabilize after the maximum number of iterations (5)`,
      },
      calls: 6,
    });
  });
});

describe('renderFiles through Development targets', () => {
  let require: RunningFunctionServer | undefined;
  let fatalServer: RunningFunctionServer | undefined;
  beforeAll(async () => {
    require = await serveTest('function-require', requireConfig);
    fatalServer = await serveTest('function-fatal', fatal);
  });
  afterAll(async () => {
    await require?.shutdown();
    await fatalServer?.shutdown();
  });

  it('runs the requirements loop against a Development target', async () => {
    const got = await render({ requiredResources: 'required.yaml' }, fn('function-require', require?.address));
    expect(got).toEqual({ ok: true, value: WANT });
  });

  it('fails, printing nothing, when a Development function returns a Fatal result', async () => {
    const got = await render(
      {},
      fn('function-require', require?.address) + fn('function-fatal', fatalServer?.address),
      { 'composition.yaml': composition(step('require', 'function-require') + step('check', 'function-fatal')) },
      { includeResults: true },
    );
    expect(got).toEqual({
      ok: false,
      error: 'cannot render composite resource: pipeline step "check" returned a fatal result: cannot parse spec.budget: negative',
    });
  });

  it('waits for an unreachable Development target until the timeout', async () => {
    const got = await render({}, fn('function-external', '127.0.0.1:1'), { 'composition.yaml': composition(step('external', 'function-external')) }, { timeoutMs: 300 });
    expect(got).toEqual({
      ok: false,
      error: matchingText(/^cannot render composite resource: cannot run pipeline step "external": cannot reach function at 127\.0\.0\.1:1: [^\n]+$/),
    });
  });
});

/** matchingText is expect.stringMatching, typed. */
function matchingText(re: RegExp): unknown {
  return expect.stringMatching(re) as unknown;
}

function compositionObject(pipeline: JsonObject[]): JsonObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: { name: 'xdeployments.scia.io' },
    spec: { compositeTypeRef: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment' }, mode: 'Pipeline', pipeline },
  };
}

function functionObject(name: string): JsonObject {
  return { apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'Function', metadata: { name }, spec: { package: `xpkg.example/${name}:v1` } };
}
