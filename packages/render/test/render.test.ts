import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningFunctionServer } from '@scia/runtime';
import { renderFiles, type BuiltinRegistry, type RenderOptions, type Result } from '@scia/render';
import { freePort } from '../../../test/support/ports.js';
import {
  XR,
  compose,
  composition,
  conditions,
  echoContext,
  fn,
  readCredentials,
  registry,
  renderIn,
  reportObserved,
  serveBeta,
  serveTest,
  step,
  workdir,
  type FilePaths,
} from './render-fixtures.js';

/** bucket is the whole expected text of a composed Bucket of the flask-api XR. */
function bucket(o: { resource: string; region: string; name?: string; generateName?: string; labels?: string[] }): string {
  const labels = ['crossplane.io/composite: flask-api', ...(o.labels ?? [])].sort().map((l) => `    ${l}\n`).join('');
  return `---
apiVersion: s3.aws.upbound.io/v1beta1
kind: Bucket
metadata:
  annotations:
    crossplane.io/composition-resource-name: ${o.resource}
${o.generateName === undefined ? '' : `  generateName: ${o.generateName}\n`}  labels:
${labels}${o.name === undefined ? '' : `  name: ${o.name}\n`}  ownerReferences:
  - apiVersion: scia.io/v1alpha1
    blockOwnerDeletion: true
    controller: true
    kind: XDeployment
    name: flask-api
    uid: ""
spec:
  forProvider:
    region: ${o.region}
`;
}

const BUCKETS = bucket({ resource: 'bucket-a', region: 'us-east-1', name: 'named-bucket' }) + bucket({ resource: 'bucket-b', region: 'eu-west-3', generateName: 'flask-api-' });

const COMPOSE_STEP = step('compose', 'function-compose', '    input:\n      apiVersion: test.scia.io/v1\n      kind: Input\n      ready: [bucket-a]\n');

interface Case {
  reason: string;
  files: Record<string, string>;
  paths?: FilePaths;
  options?: Partial<RenderOptions>;
  want: string;
}

const cases: Record<string, Case> = {
  ComposedResources: {
    reason: 'Composed resources are sorted by name, get generateName when unnamed, and an unready one makes the XR Creating.',
    files: { 'composition.yaml': composition(COMPOSE_STEP) },
    want: `---
apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api
status:
  conditions:
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    message: 'Unready resources: bucket-b'
    reason: Creating
    status: "False"
    type: Ready
  ratio: 0.5
  widgets: 3
${BUCKETS}`,
  },
  AllReady: {
    reason: 'When every composed resource is READY_TRUE the XR is Available.',
    files: {
      'composition.yaml': composition(step('compose', 'function-compose', '    input:\n      apiVersion: test.scia.io/v1\n      kind: Input\n      ready: [bucket-a, bucket-b]\n')),
    },
    want: `---
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
  ratio: 0.5
  widgets: 3
${BUCKETS}`,
  },
  FiveUnready: {
    reason: 'Beyond three unready resources the message names the first three and counts the others.',
    files: {
      'composition.yaml': composition(step('compose', 'function-compose', '    input:\n      apiVersion: test.scia.io/v1\n      kind: Input\n      unready: [c, d, e]\n')),
    },
    want: `---
apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api
status:
  conditions:
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    message: 'Unready resources: bucket-a, bucket-b, c, and 2 more'
    reason: Creating
    status: "False"
    type: Ready
  ratio: 0.5
  widgets: 3
${BUCKETS}${['c', 'd', 'e'].map((r) => bucket({ resource: r, region: 'eu-north-1', generateName: 'flask-api-' })).join('')}`,
  },
  ResultsConditionsContext: {
    reason: '-r prints Results, -c the final Context; READY_FALSE makes the XR Creating without a message; system conditions from functions are dropped.',
    files: { 'composition.yaml': composition(step('conditions', 'function-conditions') + step('echo', 'function-echo')) },
    options: { includeResults: true, includeContext: true },
    want: `---
apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api
status:
  capabilities:
  - 1
  - 2
  - 3
  - 4
  - 5
  conditions:
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    reason: Creating
    status: "False"
    type: Ready
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    message: waiting for the database
    reason: Pending
    status: "False"
    type: DatabaseReady
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    reason: Unknown
    status: Unknown
    type: Checked
  context: {}
  tag: ""
---
apiVersion: render.crossplane.io/v1beta1
kind: Result
message: all good
severity: SEVERITY_NORMAL
step: conditions
---
apiVersion: render.crossplane.io/v1beta1
kind: Result
message: 'budget: 80% used'
severity: SEVERITY_WARNING
step: conditions
---
apiVersion: render.crossplane.io/v1beta1
fields:
  scia.io/echo:
    steps: 1
kind: Context
`,
  },
  ContextPrecedence: {
    reason: '--context-values win over --context-files for the same key; both reach the first step and -c prints the final context.',
    files: {
      'composition.yaml': composition(step('echo', 'function-echo')),
      'env.json': '{"region": "from-file", "tier": 1}',
      'other.yaml': 'list: [a, b]\n',
    },
    paths: { contextFiles: { 'scia.io/env': 'env.json', 'scia.io/other': 'other.yaml' }, contextValues: { 'scia.io/env': '{"region": "from-value"}' } },
    options: { includeContext: true },
    want: `---
apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api
status:
  capabilities:
  - 1
  - 2
  - 3
  - 4
  - 5
  conditions:
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    reason: Available
    status: "True"
    type: Ready
  context:
    scia.io/env:
      region: from-value
    scia.io/other:
      list:
      - a
      - b
  tag: ""
---
apiVersion: render.crossplane.io/v1beta1
fields:
  scia.io/echo:
    steps: 1
  scia.io/env:
    region: from-value
  scia.io/other:
    list:
    - a
    - b
kind: Context
`,
  },
  FullXrAndClaimLabels: {
    reason: '-x copies the input spec and metadata; claim labels come from the XR labels; a namespaced XR puts its resources in its namespace.',
    files: {
      'xr.yaml': `apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api-x9z
  namespace: team-backend
  labels:
    crossplane.io/composite: flask-api
    crossplane.io/claim-name: flask-api
    crossplane.io/claim-namespace: team-backend
spec:
  region: eu-west-3
  claimRef: {name: ignored, namespace: ignored}
`,
      'composition.yaml': composition(step('compose', 'function-compose', '    input:\n      apiVersion: test.scia.io/v1\n      kind: Input\n      ready: [bucket-a, bucket-b]\n')),
    },
    options: { includeFullXr: true },
    want: `---
apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  labels:
    crossplane.io/claim-name: flask-api
    crossplane.io/claim-namespace: team-backend
    crossplane.io/composite: flask-api
  name: flask-api-x9z
  namespace: team-backend
spec:
  claimRef:
    name: ignored
    namespace: ignored
  region: eu-west-3
status:
  conditions:
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    reason: Available
    status: "True"
    type: Ready
  ratio: 0.5
  widgets: 3
${[
  ['bucket-a', 'us-east-1', 'named-bucket', undefined],
  ['bucket-b', 'eu-west-3', undefined, 'flask-api-'],
]
  .map(([resource = '', region = '', name, generateName]) =>
    bucket({ resource, region, ...(name === undefined ? {} : { name }), ...(generateName === undefined ? {} : { generateName }), labels: ['crossplane.io/claim-name: flask-api', 'crossplane.io/claim-namespace: team-backend'] })
      .replace('  name: named-bucket\n', '  name: named-bucket\n  namespace: team-backend\n')
      .replace('    crossplane.io/composite: flask-api\n  ownerReferences', '    crossplane.io/composite: flask-api\n  namespace: team-backend\n  ownerReferences')
      .replaceAll('    name: flask-api\n    uid', '    name: flask-api-x9z\n    uid'),
  )
  .join('')}`,
  },
  ClaimRefGivesNoLabels: {
    reason:
      'spec.claimRef gives no claim labels: crossplane render loads the XR with composite.New(), the v2 schema without a claim reference ' +
      '(cmd/crank/render/load.go LoadCompositeResource, render.go SetComposedResourceMetadata).',
    files: {
      'xr.yaml': `apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata: {name: flask-api}
spec: {claimRef: {apiVersion: scia.io/v1alpha1, kind: Deployment, name: api, namespace: team-a}}
`,
      'composition.yaml': composition(step('compose', 'function-compose', '    input:\n      apiVersion: test.scia.io/v1\n      kind: Input\n      ready: [bucket-a, bucket-b]\n')),
    },
    want: `---
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
  ratio: 0.5
  widgets: 3
${bucket({ resource: 'bucket-a', region: 'us-east-1', name: 'named-bucket' })}${bucket({ resource: 'bucket-b', region: 'eu-west-3', generateName: 'flask-api-' })}`,
  },
  LegacySelectorIsNotASelector: {
    reason:
      'A v1 spec.compositionSelector is not checked against the Composition: crossplane render reads only spec.crossplane.compositionSelector ' +
      '(cmd/crank/render/cmd.go Run, xr.GetCompositionSelector() on the v2 schema).',
    files: {
      'xr.yaml': `${XR}  compositionSelector:\n    matchLabels: {provider: gcp}\n`,
      'composition.yaml': composition(step('compose', 'function-compose', '    input:\n      apiVersion: test.scia.io/v1\n      kind: Input\n      ready: [bucket-a, bucket-b]\n'), '  labels: {provider: aws}\n'),
    },
    want: `---
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
  ratio: 0.5
  widgets: 3
${BUCKETS}`,
  },
  Observed: {
    reason: 'Observed resources are keyed by their composition-resource-name annotation and keep their name and generateName.',
    files: {
      'composition.yaml': composition(step('observe', 'function-observe') + COMPOSE_STEP),
      'observed.yaml': `apiVersion: s3.aws.upbound.io/v1beta1
kind: Bucket
metadata:
  name: flask-api-x7k2p
  generateName: flask-api-
  annotations: {crossplane.io/composition-resource-name: bucket-b}
---
apiVersion: s3.aws.upbound.io/v1beta1
kind: Bucket
metadata:
  name: other-name
  annotations: {crossplane.io/composition-resource-name: bucket-a}
`,
    },
    paths: { observedResources: 'observed.yaml' },
    want: `---
apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api
status:
  conditions:
  - lastTransitionTime: "2024-01-01T00:00:00Z"
    message: 'Unready resources: bucket-b'
    reason: Creating
    status: "False"
    type: Ready
  observed:
  - bucket-a=other-name
  - bucket-b=flask-api-x7k2p
  observedXr: flask-api
  ratio: 0.5
  widgets: 3
${bucket({ resource: 'bucket-a', region: 'us-east-1', name: 'other-name' })}${bucket({ resource: 'bucket-b', region: 'eu-west-3', name: 'flask-api-x7k2p', generateName: 'flask-api-' })}`,
  },
  Credentials: {
    reason: 'A step credential names a Secret from --function-credentials; its data reaches the function decoded.',
    files: {
      'composition.yaml': composition(
        step('creds', 'function-creds', '    credentials:\n    - name: aws\n      source: Secret\n      secretRef: {name: aws-creds, namespace: crossplane-system}\n'),
      ),
      'secrets.yaml': `apiVersion: v1
kind: Secret
metadata: {name: aws-creds, namespace: crossplane-system}
data:
  key: c2VjcmV0
`,
    },
    paths: { functionCredentials: 'secrets.yaml' },
    want: `---
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
  credentials:
    key: secret
`,
  },
};

const BUILTINS: BuiltinRegistry = registry({
  'function-compose': compose,
  'function-conditions': conditions,
  'function-echo': echoContext,
  'function-observe': reportObserved,
  'function-creds': readCredentials,
});

const FUNCTIONS = fn('function-compose') + fn('function-conditions') + fn('function-echo') + fn('function-observe') + fn('function-creds');

function render(files: Record<string, string>, paths: FilePaths = {}, options: Partial<RenderOptions> = {}, builtins: BuiltinRegistry = BUILTINS): Promise<Result<string>> {
  return renderIn({ 'xr.yaml': XR, 'functions.yaml': FUNCTIONS, ...files }, paths, { builtins, ...options });
}

describe('renderFiles with in-process functions', () => {
  it.each(Object.entries(cases))('%s', async (_name, tc) => {
    const got = await render(tc.files, tc.paths, tc.options);
    expect({ reason: tc.reason, got }).toEqual({ reason: tc.reason, got: { ok: true, value: tc.want } });
  });
});

describe('renderFiles through the Development runtime', () => {
  const servers: RunningFunctionServer[] = [];
  beforeAll(async () => {
    servers.push(await serveTest('function-compose', compose), await serveTest('function-echo', echoContext));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.shutdown()));
  });

  it('dials each Development target and renders as in-process', async () => {
    const [composeServer, echoServer] = servers;
    const functions = fn('function-compose', composeServer?.address) + fn('function-echo', echoServer?.address);
    const dev = await render({ 'functions.yaml': functions, 'composition.yaml': composition(COMPOSE_STEP + step('echo', 'function-echo')) }, {}, { includeContext: true }, {});
    const local = await render({ 'composition.yaml': composition(COMPOSE_STEP + step('echo', 'function-echo')) }, {}, { includeContext: true });
    expect(dev).toEqual(local);
    expect(local.ok && local.value).toContain('kind: Context');
  });

  it('falls back to the v1beta1 RunFunction when a Development target lacks v1', async () => {
    const beta = await serveBeta(compose);
    const got = await render({ 'functions.yaml': fn('function-compose', beta.address), 'composition.yaml': composition(COMPOSE_STEP) }, {}, {}, {});
    beta.stop();
    const want = await render({ 'composition.yaml': composition(COMPOSE_STEP) });
    expect(got).toEqual(want);
  });

  it('waits for an idle Development target and fails, even for a built-in, as crossplane render does (cmd/crank/render/runtime_development.go)', async () => {
    const port = await freePort();
    const notes: string[] = [];
    const got = await render(
      { 'functions.yaml': fn('function-compose', `localhost:${port}`), 'composition.yaml': composition(COMPOSE_STEP) },
      {},
      { note: (line) => notes.push(line), timeoutMs: 300 },
    );
    expect({ got, notes }).toEqual({
      got: { ok: false, error: expect.stringMatching(new RegExp(`^cannot render composite resource: cannot run pipeline step "compose": cannot reach function at localhost:${port}: `)) as unknown },
      notes: [`Function "function-compose": runtime Development, dialling localhost:${port}`],
    });
  });

  it('says which runtime serves each Function', async () => {
    const [composeServer] = servers;
    const notes: string[] = [];
    const functions = fn('function-compose', composeServer?.address) + fn('function-echo');
    const got = await render({ 'functions.yaml': functions, 'composition.yaml': composition(COMPOSE_STEP + step('echo', 'function-echo')) }, {}, { note: (l) => notes.push(l) });
    expect({ ok: got.ok, notes: notes.map((n) => n.replace(/127\.0\.0\.1:\d+/g, 'ADDRESS')) }).toEqual({
      ok: true,
      notes: ['Function "function-compose": runtime Development, dialling ADDRESS', 'Function "function-echo": runtime Docker, served in-process at ADDRESS'],
    });
  });
});

describe('renderFiles inputs', () => {
  it('reads FUNCTIONS from a directory of .yaml and .yml files, not recursively', async () => {
    const path = workdir({ 'xr.yaml': XR, 'composition.yaml': composition(COMPOSE_STEP + step('echo', 'function-echo')) });
    const dir = dirname(path('xr.yaml'));
    mkdirSync(`${dir}/fns/nested`, { recursive: true });
    writeFileSync(`${dir}/fns/a.yaml`, fn('function-compose'));
    writeFileSync(`${dir}/fns/b.yml`, fn('function-echo'));
    writeFileSync(`${dir}/fns/notes.txt`, 'not yaml');
    writeFileSync(`${dir}/fns/nested/c.yaml`, 'not: a function');
    const got = await renderFiles({ xr: path('xr.yaml'), composition: path('composition.yaml'), functions: `${dir}/fns` }, { builtins: BUILTINS });
    const want = await render({ 'composition.yaml': composition(COMPOSE_STEP + step('echo', 'function-echo')) });
    expect(got).toEqual(want);
  });
});
