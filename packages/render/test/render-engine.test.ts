import { describe, expect, it } from 'vitest';
import { formatStream, renderPipeline, stableNAndSomeMore, type JsonObject, type RenderInputs } from '@scia/render';
import { Ready } from '@crossplane-org/function-sdk-typescript';
import { respond, setDesiredResource, type RunFn } from '@scia/runtime';
import { echoContext, recordTags, registry } from './render-fixtures.js';

const XR: JsonObject = { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'flask-api' }, spec: { region: 'eu-west-3' } };

function inputs(steps: string[], xr: JsonObject = XR): RenderInputs {
  return {
    xr,
    composition: {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'Composition',
      metadata: { name: 'xdeployments.scia.io' },
      spec: {
        compositeTypeRef: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment' },
        mode: 'Pipeline',
        pipeline: steps.map((s) => ({ step: s, functionRef: { name: `function-${s}` } })),
      },
    },
    functions: steps.map((s) => ({ apiVersion: 'pkg.crossplane.io/v1', kind: 'Function', metadata: { name: `function-${s}` } })),
  };
}

describe('renderPipeline', () => {
  it('sends an empty meta.tag with the capabilities, as crossplane render does (cmd/crank/render/render.go sets only RequestMeta.Capabilities)', async () => {
    const tags = recordTags();
    await renderPipeline(inputs(['tags']), { builtins: registry({ 'function-tags': tags.run }) });
    expect(tags.tags).toEqual(['']);
  });

  it('applies the XRD schema defaults of the XR version before the pipeline sees it', async () => {
    const xrd: JsonObject = {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'CompositeResourceDefinition',
      metadata: { name: 'xdeployments.scia.io' },
      spec: {
        group: 'scia.io',
        versions: [
          {
            name: 'v1alpha1',
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      region: { type: 'string', default: 'us-east-1' },
                      strategy: { type: 'string', default: 'auto' },
                      budget: { type: 'object', default: {}, properties: { enforcementMode: { type: 'string', default: 'soft' } } },
                      policies: { type: 'array', items: { type: 'object', properties: { enabled: { type: 'boolean', default: true } } } },
                      absent: { type: 'object', properties: { inner: { type: 'string', default: 'x' } } },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const xr: JsonObject = { ...XR, spec: { region: 'eu-west-3', policies: [{ name: 'require-https' }] } };
    const out = await renderPipeline({ ...inputs(['echo'], xr), xrd }, { builtins: registry({ 'function-echo': echoContext }), includeFullXr: true });
    const composite = out.ok ? out.value.documents[0] : undefined;
    expect(composite?.['spec']).toEqual({
      region: 'eu-west-3',
      strategy: 'auto',
      budget: { enforcementMode: 'soft' },
      policies: [{ name: 'require-https', enabled: true }],
    });
  });

  const policies: Record<string, { reason: string; scope?: string; spec: JsonObject; want: JsonObject }> = {
    Modern: {
      reason: "An XRD's defaultCompositionUpdatePolicy defaults spec.crossplane.compositionUpdatePolicy of a modern XR (internal/xcrd/schemas.go CompositeResourceSpecProps).",
      spec: { crossplane: {} },
      want: { crossplane: { compositionUpdatePolicy: 'Manual' } },
    },
    ModernWithoutCrossplane: {
      reason: 'Structural defaulting does not create spec.crossplane, which has no default of its own.',
      spec: { region: 'eu-west-3' },
      want: { region: 'eu-west-3' },
    },
    Legacy: {
      reason: 'A LegacyCluster XRD puts the policy directly under spec.',
      scope: 'LegacyCluster',
      spec: {},
      want: { compositionUpdatePolicy: 'Manual' },
    },
  };
  it.each(Object.entries(policies))('defaults the composition update policy: %s', async (_name, tc) => {
    const xrd: JsonObject = {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'CompositeResourceDefinition',
      metadata: { name: 'xdeployments.scia.io' },
      spec: {
        group: 'scia.io',
        defaultCompositionUpdatePolicy: 'Manual',
        ...(tc.scope === undefined ? {} : { scope: tc.scope }),
        versions: [{ name: 'v1alpha1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } }],
      },
    };
    const out = await renderPipeline({ ...inputs(['echo'], { ...XR, spec: tc.spec }), xrd }, { builtins: registry({ 'function-echo': echoContext }), includeFullXr: true });
    expect({ reason: tc.reason, spec: out.ok ? out.value.documents[0]?.['spec'] : out.error }).toEqual({ reason: tc.reason, spec: tc.want });
  });

  it('returns the documents that formatStream prints', async () => {
    const out = await renderPipeline(inputs([]), { includeContext: true, builtins: {} });
    expect(out.ok ? formatStream(out.value.documents) : out.error).toEqual(`---
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
---
apiVersion: render.crossplane.io/v1beta1
fields: {}
kind: Context
`);
  });
});

describe('the Ready condition', () => {
  const withComposite = (ready: Ready): RunFn => (req) => {
    const rsp = respond(req, 60);
    setDesiredResource(rsp, 'pending', { apiVersion: 'v1', kind: 'ConfigMap' });
    if (rsp.desired !== undefined) rsp.desired.composite = { resource: {}, connectionDetails: {}, ready };
    return rsp;
  };
  const cases: Record<string, { reason: string; ready: Ready; want: JsonObject }> = {
    Unspecified: {
      reason: 'With the XR readiness unspecified, an unready resource makes it Creating, named in the message.',
      ready: Ready.READY_UNSPECIFIED,
      want: { type: 'Ready', status: 'False', reason: 'Creating', message: 'Unready resources: pending', lastTransitionTime: '2024-01-01T00:00:00Z' },
    },
    CompositeFalse: {
      reason: 'A READY_FALSE XR is Creating, without a message.',
      ready: Ready.READY_FALSE,
      want: { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: '2024-01-01T00:00:00Z' },
    },
    CompositeTrue: {
      reason: 'A READY_TRUE XR is Available even with unready resources, as Crossplane decides.',
      ready: Ready.READY_TRUE,
      want: { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2024-01-01T00:00:00Z' },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, tc) => {
    const out = await renderPipeline(inputs(['ready']), { builtins: registry({ 'function-ready': withComposite(tc.ready) }) });
    const status = out.ok ? out.value.documents[0]?.['status'] : out.error;
    expect({ reason: tc.reason, status }).toEqual({ reason: tc.reason, status: { conditions: [tc.want] } });
  });
});

describe('stableNAndSomeMore', () => {
  const cases: Record<string, { reason: string; names: string[]; want: string }> = {
    One: { reason: 'One name alone.', names: ['b'], want: 'b' },
    Two: { reason: 'Two names, comma-separated, no "and".', names: ['b', 'a'], want: 'a, b' },
    Three: { reason: 'Three names end with ", and".', names: ['c', 'a', 'b'], want: 'a, b, and c' },
    Five: { reason: 'Beyond three, the rest are counted.', names: ['e', 'd', 'c', 'b', 'a'], want: 'a, b, c, and 2 more' },
  };
  it.each(Object.entries(cases))('%s', (_name, tc) => {
    expect({ reason: tc.reason, got: stableNAndSomeMore(3, tc.names) }).toEqual({ reason: tc.reason, got: tc.want });
  });
});
