import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { mergeDesiredStatus, respond, type RunningFunctionServer } from '@scia/runtime';
import { renderPipeline, type BuiltinRegistry, type RenderInputs, type RenderOptions, type Result } from '@scia/render';
import { XR, compose, composition, fn, registry, renderIn, requireSchemas, serveTest, step, type FilePaths } from './render-fixtures.js';

/** APPS_V1 is an OpenAPI v3 document as `kubectl get --raw /openapi/v3/apis/apps/v1` prints it: the Deployment refers to ObjectMeta through allOf. */
const APPS_V1 = JSON.stringify({
  openapi: '3.0.0',
  components: {
    schemas: {
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        description: 'Deployment enables declarative updates for Pods.',
        'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
        properties: {
          metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], default: {}, description: 'Standard object metadata.' },
          spec: { type: 'object' },
        },
      },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        type: 'object',
        description: 'ObjectMeta is metadata that all persisted resources must have.',
        properties: { name: { type: 'string' }, owner: { $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' } },
      },
    },
  },
});

const SCHEMAS_XR = `---
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
  schemas:
    deployment:
      description: Deployment enables declarative updates for Pods.
      properties:
        metadata:
          description: ObjectMeta is metadata that all persisted resources must have.
          properties:
            name:
              type: string
            owner:
              type: object
          type: object
        spec:
          type: object
      type: object
      x-kubernetes-group-version-kind:
      - group: apps
        kind: Deployment
        version: v1
    pod: null
`;

interface Case {
  reason: string;
  files?: Record<string, string>;
  paths?: FilePaths;
  options?: Partial<RenderOptions>;
  want: Result<string>;
}

const cases: Record<string, Case> = {
  RequiredSchemas: {
    reason:
      'Schema requirements are answered from --required-schemas: the kind whose one x-kubernetes-group-version-kind matches, references ' +
      'replaced by what they name (a reference wrapped in allOf too, its siblings dropped; a cycle becomes type: object), an empty Schema when ' +
      'nothing matches (cmd/crank/render/schemas.go FilteringSchemaFetcher, k8s.io/apiserver cel/openapi/resolver PopulateRefs).',
    files: { 'composition.yaml': composition(step('schemas', 'function-schemas')), 'schemas/apis/apps-v1.json': APPS_V1, 'schemas/notes.txt': 'ignored' },
    paths: { requiredSchemas: 'schemas' },
    want: { ok: true, value: SCHEMAS_XR },
  },
  BootstrapSchemas: {
    reason: "A step's requirements.requiredSchemas are answered before its first call (cmd/crank/render/render.go, bootstrap requirements).",
    files: {
      'composition.yaml': composition(
        step('schemas', 'function-schemas', '    requirements:\n      requiredSchemas:\n      - {requirementName: deployment, apiVersion: apps/v1, kind: Deployment}\n'),
      ),
      'schemas/apps-v1.json': APPS_V1,
    },
    paths: { requiredSchemas: 'schemas' },
    want: { ok: true, value: SCHEMAS_XR },
  },
  NoSchemas: {
    reason: 'Without --required-schemas every schema requirement gets an empty Schema.',
    files: { 'composition.yaml': composition(step('schemas', 'function-schemas')) },
    want: { ok: true, value: SCHEMAS_XR.slice(0, SCHEMAS_XR.indexOf('    deployment:')) + '    deployment: null\n    pod: null\n' },
  },
  NoJsonFiles: {
    reason: 'A --required-schemas directory must hold .json files (cmd/crank/render/schemas.go LoadRequiredSchemas).',
    files: { 'schemas/notes.txt': 'no schema' },
    paths: { requiredSchemas: 'schemas' },
    want: { ok: false, error: 'cannot load OpenAPI schemas from "schemas": no JSON files found in "schemas"' },
  },
  BadJson: {
    reason: 'Each schema file must be JSON; the error names it.',
    files: { 'schemas/apps-v1.json': '{"components": ' },
    paths: { requiredSchemas: 'schemas' },
    want: { ok: false, error: expect.stringMatching(/^cannot load OpenAPI schemas from "schemas": cannot parse OpenAPI JSON from "schemas\/apps-v1\.json": /) as unknown as string },
  },
  BadAnnotation: {
    reason: '-a takes key=value (cmd/crank/render/cmd.go OverrideFunctionAnnotations).',
    paths: { functionAnnotations: ['render.crossplane.io/runtime'] },
    want: { ok: false, error: 'cannot apply function annotation overrides: invalid function annotation format "render.crossplane.io/runtime", expected key=value' },
  },
  AnnotationRuntime: {
    reason: '-a overrides every Function\'s annotations: an unknown runtime is refused for the first Function (cmd/crank/render/runtime.go GetRuntime).',
    paths: { functionAnnotations: ['render.crossplane.io/runtime=Podman'] },
    want: {
      ok: false,
      error:
        'cannot render composite resource: cannot start function runtimes: cannot get runtime for Function "function-compose": ' +
        'unsupported "render.crossplane.io/runtime" annotation value "Podman" (unknown runtime)',
    },
  },
};

describe('renderFiles inputs: required schemas and function annotations', () => {
  it.each(Object.entries(cases))('%s', async (_name, tc) => {
    const files = { 'xr.yaml': XR, 'composition.yaml': composition(step('compose', 'function-compose')), 'functions.yaml': fn('function-compose') + fn('function-schemas'), ...tc.files };
    const got = await renderIn(files, tc.paths ?? {}, { builtins: registry({ 'function-compose': compose, 'function-schemas': requireSchemas }), ...tc.options });
    expect({ reason: tc.reason, got }).toEqual({ reason: tc.reason, got: tc.want });
  });
});

describe('-a through the Development runtime', () => {
  let server: RunningFunctionServer | undefined;
  beforeAll(async () => {
    server = await serveTest('function-compose', compose);
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  it('dials every Function at the target -a names, with no built-ins', async () => {
    const files = { 'xr.yaml': XR, 'composition.yaml': composition(step('compose', 'function-compose')), 'functions.yaml': fn('function-compose') };
    const annotations = ['render.crossplane.io/runtime=Development', `render.crossplane.io/runtime-development-target=${server?.address ?? ''}`];
    const dev = await renderIn(files, { functionAnnotations: annotations }, { builtins: {} });
    const local = await renderIn(files, {}, { builtins: registry({ 'function-compose': compose }) });
    expect({ ok: dev.ok, same: JSON.stringify(dev) === JSON.stringify(local) }).toEqual({ ok: true, same: true });
  });
});

describe('the environment of in-process functions', () => {
  /** reportEnv is a built-in that writes the environment it was built with into the XR status. */
  const reportEnv: BuiltinRegistry = {
    'function-env': (_logger, env) =>
      Promise.resolve({
        run: (req: RunFunctionRequest) => {
          const rsp = respond(req, 60);
          mergeDesiredStatus(rsp, { env: env ?? null });
          return rsp;
        },
        close: () => Promise.resolve(),
      }),
  };
  const cases: Record<string, { reason: string; annotation?: string; want: unknown }> = {
    DockerEnv: {
      reason:
        'runtime-docker-env, comma-separated KEY=VALUE pairs (pairs without "=" ignored), is passed to the built-in to add over its configuration, ' +
        'as crossplane render gives it to a container (cmd/crank/render/runtime_docker.go GetRuntimeDocker).',
      annotation: 'SCIA_NOW=2030-01-01T00:00:00Z,junk,OLLAMA_HOST=http://127.0.0.1:11434',
      want: { SCIA_NOW: '2030-01-01T00:00:00Z', OLLAMA_HOST: 'http://127.0.0.1:11434' },
    },
    Nothing: { reason: 'Without the annotation a built-in is given nothing to add.', want: {} },
  };
  it.each(Object.entries(cases))('%s', async (_name, tc) => {
    const annotations = tc.annotation === undefined ? {} : { annotations: { 'render.crossplane.io/runtime-docker-env': tc.annotation } };
    const inputs: RenderInputs = {
      xr: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'flask-api' } },
      composition: {
        apiVersion: 'apiextensions.crossplane.io/v1',
        kind: 'Composition',
        metadata: { name: 'xdeployments.scia.io' },
        spec: { compositeTypeRef: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment' }, mode: 'Pipeline', pipeline: [{ step: 'env', functionRef: { name: 'function-env' } }] },
      },
      functions: [{ apiVersion: 'pkg.crossplane.io/v1', kind: 'Function', metadata: { name: 'function-env', ...annotations } }],
    };
    const got = await renderPipeline(inputs, { builtins: reportEnv });
    const status = got.ok ? (got.value.documents[0]?.['status'] as Record<string, unknown> | undefined) : undefined;
    expect({ reason: tc.reason, env: got.ok ? status?.['env'] : got.error }).toEqual({ reason: tc.reason, env: tc.want });
  });
});
