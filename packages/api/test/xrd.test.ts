import { describe, expect, it } from 'vitest';
import { deploymentSchema, generatedCrds, xrdV1, xrdV2 } from '../src/index.js';
import type { StructuralSchema, Xrd } from '../src/index.js';

function must<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** walk yields every schema node with its path. */
function* walk(node: StructuralSchema, path = ''): Generator<[string, StructuralSchema]> {
  yield [path || '(root)', node];
  for (const [name, child] of Object.entries(node.properties ?? {})) yield* walk(child, `${path}.${name}`);
  if (node.items !== undefined) yield* walk(node.items, `${path}[]`);
  if (node.additionalProperties !== undefined) yield* walk(node.additionalProperties, `${path}.*`);
}

describe('deploymentSchema', () => {
  const schema = must(deploymentSchema());
  const nodes = [...walk(schema)];

  it('is structural: every node typed, no unions, no closed objects', () => {
    const allowed = new Set([
      'type', 'description', 'properties', 'required', 'additionalProperties', 'maxProperties', 'items', 'minItems', 'maxItems',
      'enum', 'default', 'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum',
      'exclusiveMaximum', 'nullable', 'x-kubernetes-validations',
    ]);
    const bad = nodes.flatMap(([path, node]) => Object.keys(node).filter((k) => !allowed.has(k)).map((k) => `${path}: ${k}`));
    expect({ bad, untyped: nodes.filter(([, n]) => typeof n.type !== 'string').map(([p]) => p) }).toEqual({ bad: [], untyped: [] });
  });

  it('attaches CEL rules only to objects, pointing at fields they have', () => {
    const misplaced = nodes.flatMap(([path, node]) =>
      (node['x-kubernetes-validations'] ?? [])
        .filter((r) => node.type !== 'object' || (r.fieldPath !== undefined && node.properties?.[r.fieldPath.slice(1)] === undefined))
        .map((r) => `${path}: ${r.rule}`),
    );
    const ruled = nodes.filter(([, n]) => n['x-kubernetes-validations'] !== undefined).map(([p]) => p);
    expect({ misplaced, ruled }).toEqual({ misplaced: [], ruled: ['.spec', '.spec.budget', '.spec.artifact', '.spec.overrides', '.spec.services.postgresql', '.spec.services.mysql', '.spec.services.redis'] });
  });

  it('requires what a claim must say and leaves defaulted fields optional (spec.region by a CEL rule)', () => {
    expect({ root: schema.required, spec: schema.properties?.['spec']?.required }).toEqual({ root: ['spec'], spec: ['repository'] });
  });
});

/** outline is an XRD without its schema, to compare the parts that are not generated from zod. */
function outline(xrd: Xrd): unknown {
  return { ...xrd, spec: { ...xrd.spec, versions: xrd.spec.versions.map(({ schema: _, ...v }) => v) } };
}

const columns = [
  { name: 'PHASE', type: 'string', jsonPath: '.status.phase', description: 'Where the deployment is in its lifecycle' },
  { name: 'STRATEGY', type: 'string', jsonPath: '.status.deployment.strategy', description: 'How the app runs' },
  { name: 'COST', type: 'number', jsonPath: '.status.cost.estimatedMonthly', description: 'Estimated USD per month' },
  { name: 'ENDPOINT', type: 'string', jsonPath: '.status.endpoints[0].url', description: 'Where the app answers' },
];

describe('XRDs', () => {
  it.each(Object.entries({
    v1: {
      reason: 'Crossplane v1: cluster-scoped XDeployment offering the namespaced claim Deployment.',
      xrd: must(xrdV1()),
      want: {
        apiVersion: 'apiextensions.crossplane.io/v1',
        kind: 'CompositeResourceDefinition',
        metadata: { name: 'xdeployments.scia.io' },
        spec: {
          group: 'scia.io',
          names: { kind: 'XDeployment', plural: 'xdeployments', shortNames: ['xsdeploy'], categories: ['scia'] },
          claimNames: { kind: 'Deployment', plural: 'deployments', shortNames: ['sdeploy'], categories: ['scia'] },
          defaultCompositionRef: { name: 'deployment-aws' },
          versions: [{ name: 'v1alpha1', served: true, referenceable: true, additionalPrinterColumns: columns }],
        },
      },
    },
    v2: {
      reason: 'Crossplane v2: a namespaced XR Deployment, no claim.',
      xrd: must(xrdV2()),
      want: {
        apiVersion: 'apiextensions.crossplane.io/v2',
        kind: 'CompositeResourceDefinition',
        metadata: { name: 'deployments.scia.io' },
        spec: {
          group: 'scia.io',
          scope: 'Namespaced',
          names: { kind: 'Deployment', plural: 'deployments', shortNames: ['sdeploy'], categories: ['scia', 'claim'] },
          defaultCompositionRef: { name: 'deployment-aws-v2' },
          versions: [{ name: 'v1alpha1', served: true, referenceable: true, additionalPrinterColumns: columns }],
        },
      },
    },
  }))('%s', (_, c) => {
    expect(outline(c.xrd), c.reason).toEqual(c.want);
  });
});

describe('generatedCrds', () => {
  const summary = (xrd: Xrd): unknown =>
    generatedCrds(xrd).map((crd) => {
      const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
      return {
        name: crd.metadata.name,
        scope: crd.spec.scope,
        shortNames: crd.spec.names.shortNames,
        categories: crd.spec.names.categories,
        crossplaneSpec: Object.keys(schema?.properties?.['spec']?.properties ?? {}).filter((k) => !['repository', 'prompt', 'cloudProvider', 'region', 'budget', 'policies', 'strategy', 'domain', 'artifact', 'overrides', 'services', 'providerConfigName'].includes(k)),
        status: Object.keys(schema?.properties?.['status']?.properties ?? {}).filter((k) => ['conditions', 'connectionDetails', 'claimConditionTypes', 'crossplane'].includes(k)),
        columns: crd.spec.versions[0]?.additionalPrinterColumns.map((c) => c.name),
      };
    });

  it.each(Object.entries({
    v1: {
      reason: 'A v1 XRD yields the XR CRD (Crossplane fields under spec) and the claim CRD (its own set).',
      xrd: must(xrdV1()),
      want: [
        {
          name: 'xdeployments.scia.io',
          scope: 'Cluster',
          shortNames: ['xsdeploy'],
          categories: ['scia', 'composite'],
          crossplaneSpec: ['compositionRef', 'compositionSelector', 'compositionRevisionRef', 'compositionRevisionSelector', 'compositionUpdatePolicy', 'resourceRefs', 'claimRef', 'writeConnectionSecretToRef'],
          status: ['conditions', 'connectionDetails', 'claimConditionTypes'],
          columns: ['PHASE', 'STRATEGY', 'COST', 'ENDPOINT', 'SYNCED', 'READY', 'COMPOSITION', 'AGE'],
        },
        {
          name: 'deployments.scia.io',
          scope: 'Namespaced',
          shortNames: ['sdeploy'],
          categories: ['scia', 'claim'],
          crossplaneSpec: ['compositionRef', 'compositionSelector', 'compositionRevisionRef', 'compositionRevisionSelector', 'compositionUpdatePolicy', 'compositeDeletePolicy', 'resourceRef', 'writeConnectionSecretToRef'],
          status: ['conditions', 'connectionDetails'],
          columns: ['PHASE', 'STRATEGY', 'COST', 'ENDPOINT', 'SYNCED', 'READY', 'CONNECTION-SECRET', 'AGE'],
        },
      ],
    },
    v2: {
      reason: 'A v2 XRD yields one namespaced XR CRD with Crossplane fields under spec.crossplane.',
      xrd: must(xrdV2()),
      want: [
        {
          name: 'deployments.scia.io',
          scope: 'Namespaced',
          shortNames: ['sdeploy'],
          categories: ['scia', 'claim', 'composite'],
          crossplaneSpec: ['crossplane'],
          status: ['conditions', 'crossplane'],
          columns: ['PHASE', 'STRATEGY', 'COST', 'ENDPOINT', 'SYNCED', 'READY', 'COMPOSITION', 'AGE'],
        },
      ],
    },
  }))('%s', (_, c) => {
    expect(summary(c.xrd), c.reason).toEqual(c.want);
  });
});
