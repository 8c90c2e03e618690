import type { StructuralSchema } from './structural.js';
import type { PrinterColumn, Xrd, XrdNames } from './xrd.js';

/** GeneratedCrd is a CustomResourceDefinition Crossplane generates from an XRD. */
export interface GeneratedCrd {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: XrdNames;
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      additionalPrinterColumns: PrinterColumn[];
      schema: { openAPIV3Schema: StructuralSchema };
      subresources: { status: Record<string, never> };
    }>;
  };
}

const str: StructuralSchema = { type: 'string' };
const labels: StructuralSchema = { type: 'object', additionalProperties: str };
const named: StructuralSchema = { type: 'object', required: ['name'], properties: { name: str } };
const selector: StructuralSchema = { type: 'object', required: ['matchLabels'], properties: { matchLabels: labels } };
const updatePolicy: StructuralSchema = { type: 'string', enum: ['Automatic', 'Manual'] };

function ref(required: string[], fields: string[]): StructuralSchema {
  return { type: 'object', required, properties: Object.fromEntries(fields.map((f) => [f, str])) };
}

function resourceRefs(namespaced: boolean): StructuralSchema {
  const fields = namespaced ? ['apiVersion', 'kind', 'name'] : ['apiVersion', 'kind', 'name', 'namespace'];
  return { type: 'array', items: ref(['apiVersion', 'kind'], fields) };
}

/** legacySpecProps are the spec fields Crossplane adds to every XR of a v1 (LegacyCluster) XRD. */
function legacySpecProps(): Record<string, StructuralSchema> {
  return {
    compositionRef: named,
    compositionSelector: selector,
    compositionRevisionRef: named,
    compositionRevisionSelector: selector,
    compositionUpdatePolicy: { ...updatePolicy, default: 'Automatic' },
    resourceRefs: resourceRefs(false),
    claimRef: ref(['apiVersion', 'kind', 'namespace', 'name'], ['apiVersion', 'kind', 'namespace', 'name']),
    writeConnectionSecretToRef: ref(['name', 'namespace'], ['name', 'namespace']),
  };
}

/** modernSpecProps are the fields a v2 XR carries under `spec.crossplane`. */
function modernSpecProps(namespaced: boolean): Record<string, StructuralSchema> {
  const props: Record<string, StructuralSchema> = {
    compositionRef: named,
    compositionSelector: selector,
    compositionRevisionRef: named,
    compositionRevisionSelector: selector,
    compositionUpdatePolicy: updatePolicy,
    resourceRefs: resourceRefs(namespaced),
  };
  return { crossplane: { type: 'object', properties: props } };
}

function claimSpecProps(): Record<string, StructuralSchema> {
  return {
    compositionRef: named,
    compositionSelector: selector,
    compositionRevisionRef: named,
    compositionRevisionSelector: selector,
    compositionUpdatePolicy: updatePolicy,
    compositeDeletePolicy: { type: 'string', enum: ['Background', 'Foreground'], default: 'Background' },
    resourceRef: ref(['apiVersion', 'kind', 'name'], ['apiVersion', 'kind', 'name']),
    writeConnectionSecretToRef: named,
  };
}

const conditions: StructuralSchema = {
  type: 'array',
  description: 'Conditions of the resource.',
  items: {
    type: 'object',
    required: ['lastTransitionTime', 'reason', 'status', 'type'],
    properties: {
      lastTransitionTime: { type: 'string', format: 'date-time' },
      message: str,
      reason: str,
      status: str,
      type: str,
      observedGeneration: { type: 'integer', format: 'int64' },
    },
  },
};
const connectionDetails: StructuralSchema = {
  type: 'object',
  properties: { lastPublishedTime: { type: 'string', format: 'date-time' } },
};

function statusProps(kind: 'legacy' | 'modern' | 'claim'): Record<string, StructuralSchema> {
  if (kind === 'modern') return { conditions, crossplane: { type: 'object', properties: { connectionDetails } } };
  if (kind === 'claim') return { conditions, connectionDetails };
  return { conditions, connectionDetails, claimConditionTypes: { type: 'array', items: str } };
}

/** withCrossplaneFields wraps an XRD's schema as Crossplane does: its own fields win over the XRD's. */
function withCrossplaneFields(
  schema: StructuralSchema,
  spec: Record<string, StructuralSchema>,
  status: Record<string, StructuralSchema>,
): StructuralSchema {
  const own = schema.properties ?? {};
  const ownSpec = own['spec'] ?? { type: 'object' };
  const ownStatus = own['status'] ?? { type: 'object' };
  return {
    ...schema,
    type: 'object',
    required: ['spec'],
    properties: {
      ...own,
      apiVersion: str,
      kind: str,
      metadata: { type: 'object' },
      spec: { ...ownSpec, properties: { ...ownSpec.properties, ...spec } },
      status: { ...ownStatus, properties: { ...ownStatus.properties, ...status } },
    },
  };
}

const condition = (type: string): PrinterColumn => ({
  name: type.toUpperCase(),
  type: 'string',
  jsonPath: `.status.conditions[?(@.type=='${type}')].status`,
});
const age: PrinterColumn = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** crossplaneColumns are the printer columns Crossplane appends to the XRD's own. */
function crossplaneColumns(kind: 'legacy' | 'modern' | 'claim'): PrinterColumn[] {
  const third: Record<typeof kind, PrinterColumn> = {
    legacy: { name: 'COMPOSITION', type: 'string', jsonPath: '.spec.compositionRef.name' },
    modern: { name: 'COMPOSITION', type: 'string', jsonPath: '.spec.crossplane.compositionRef.name' },
    claim: { name: 'CONNECTION-SECRET', type: 'string', jsonPath: '.spec.writeConnectionSecretToRef.name' },
  };
  return [condition('Synced'), condition('Ready'), third[kind], age];
}

interface CrdShape {
  names: XrdNames;
  scope: 'Namespaced' | 'Cluster';
  kind: 'legacy' | 'modern' | 'claim';
  build: (s: StructuralSchema) => StructuralSchema;
}

function crd(xrd: Xrd, { names, scope, kind, build }: CrdShape): GeneratedCrd {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${xrd.spec.group}` },
    spec: {
      group: xrd.spec.group,
      scope,
      names,
      versions: xrd.spec.versions.map((v) => ({
        name: v.name,
        served: v.served,
        storage: v.referenceable,
        additionalPrinterColumns: [...v.additionalPrinterColumns, ...crossplaneColumns(kind)],
        schema: { openAPIV3Schema: build(v.schema.openAPIV3Schema) },
        subresources: { status: {} },
      })),
    },
  };
}

/**
 * generatedCrds returns the CRDs Crossplane generates from `xrd`: the XR's
 * and, for a v1 XRD offering one, the claim's. Each schema is the XRD's with
 * Crossplane's own spec and status fields added (v1 XRs directly under spec,
 * v2 XRs under spec.crossplane), as the API server would validate them.
 */
export function generatedCrds(xrd: Xrd): GeneratedCrd[] {
  const names = { ...xrd.spec.names, categories: withCategory(xrd.spec.names.categories, 'composite') };
  if (xrd.apiVersion === 'apiextensions.crossplane.io/v2') {
    const scope = xrd.spec.scope ?? 'Namespaced';
    const spec = modernSpecProps(scope === 'Namespaced');
    return [crd(xrd, { names, scope, kind: 'modern', build: (s) => withCrossplaneFields(s, spec, statusProps('modern')) })];
  }
  const composite = crd(xrd, {
    names,
    scope: 'Cluster',
    kind: 'legacy',
    build: (s) => withCrossplaneFields(s, legacySpecProps(), statusProps('legacy')),
  });
  const claimNames = xrd.spec.claimNames;
  if (claimNames === undefined) return [composite];
  const claim = crd(xrd, {
    names: { ...claimNames, categories: withCategory(claimNames.categories, 'claim') },
    scope: 'Namespaced',
    kind: 'claim',
    build: (s) => withCrossplaneFields(s, claimSpecProps(), statusProps('claim')),
  });
  return [composite, claim];
}

function withCategory(categories: string[], category: string): string[] {
  return categories.includes(category) ? categories : [...categories, category];
}
