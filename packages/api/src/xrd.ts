import type { z } from 'zod';
import type { Result } from './result.js';
import { Api } from './context.js';
import { toStructuralSchema, withCelRules } from './structural.js';
import type { CelRule, StructuralSchema } from './structural.js';
import { DeploymentSpec, DeploymentStatus, OVERRIDE_ORDER, REGION_NEEDED, SERVERLESS_NEEDS_ARTIFACT, orderMessage } from './xr.js';
import { serviceCelRules } from './services.js';

/** CompositionName names the Pipeline compositions in compositions/. */
export const CompositionName = {
  v1: 'deployment-aws',
  v2: 'deployment-aws-v2',
} as const;

/** PrinterColumn is one column `kubectl get` shows. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'number' | 'integer' | 'date' | 'boolean';
  jsonPath: string;
  description?: string;
}

/**
 * PRINTER_COLUMNS are the columns of `kubectl get deployments.scia.io`.
 * Crossplane appends its own (SYNCED, READY, COMPOSITION or CONNECTION-SECRET,
 * AGE) to every CRD it generates from an XRD, so AGE is not repeated here.
 */
export const PRINTER_COLUMNS: PrinterColumn[] = [
  { name: 'PHASE', type: 'string', jsonPath: '.status.phase', description: 'Where the deployment is in its lifecycle' },
  { name: 'STRATEGY', type: 'string', jsonPath: '.status.deployment.strategy', description: 'How the app runs' },
  { name: 'COST', type: 'number', jsonPath: '.status.cost.estimatedMonthly', description: 'Estimated USD per month' },
  { name: 'ENDPOINT', type: 'string', jsonPath: '.status.endpoints[0].url', description: 'Where the app answers' },
];

/** CelRuleSet attaches rules to the object at `path` of the XR's schema. */
export interface CelRuleSet {
  path: readonly string[];
  rules: CelRule[];
}

/**
 * CEL_RULES are the cross-field constraints of DeploymentSpec's zod
 * refinements, as the API server checks them. Messages are zod's, so a claim
 * is refused with the same words by `kubectl apply` and by the functions.
 */
export const CEL_RULES: CelRuleSet[] = [
  {
    path: ['spec'],
    rules: [
      {
        rule: "!has(self.strategy) || self.strategy != 'serverless' || has(self.artifact)",
        message: SERVERLESS_NEEDS_ARTIFACT,
        fieldPath: '.artifact',
      },
      {
        rule: "has(self.region) || (has(self.cloudProvider) && self.cloudProvider != 'aws')",
        message: REGION_NEEDED,
        fieldPath: '.region',
      },
    ],
  },
  {
    path: ['spec', 'budget'],
    rules: [
      {
        rule: "!has(self.enforcementMode) || self.enforcementMode != 'hard' || has(self.maxMonthlyCost)",
        message: 'a hard budget needs maxMonthlyCost',
        fieldPath: '.maxMonthlyCost',
      },
    ],
  },
  {
    path: ['spec', 'artifact'],
    rules: [{ rule: 'has(self.image) != has(self.s3)', message: 'set exactly one of image and s3' }],
  },
  {
    path: ['spec', 'overrides'],
    rules: OVERRIDE_ORDER.map(([low, high]) => ({
      rule: `!has(self.${low}) || !has(self.${high}) || self.${low} <= self.${high}`,
      message: orderMessage(low, high),
      fieldPath: `.${low}`,
    })),
  },
  { path: ['spec', 'services', 'postgresql'], rules: serviceCelRules(true) },
  { path: ['spec', 'services', 'mysql'], rules: serviceCelRules(true) },
  { path: ['spec', 'services', 'redis'], rules: serviceCelRules(false) },
];

/**
 * RESERVED_SPEC_FIELDS are the spec fields Crossplane adds to the CRDs it
 * generates (v1 directly under spec, v2 under spec.crossplane): the
 * Deployment API must not define them itself.
 */
export const RESERVED_SPEC_FIELDS = [
  'crossplane', 'compositionRef', 'compositionSelector', 'compositionRevisionRef', 'compositionRevisionSelector',
  'compositionUpdatePolicy', 'compositeDeletePolicy', 'claimRef', 'resourceRef', 'resourceRefs',
  'writeConnectionSecretToRef', 'publishConnectionDetailsTo',
] as const;

/**
 * KindDefinition is what one of SCIA's kinds needs for its pair of XRDs: its
 * zod schemas and CEL rules, its columns, its names and its compositions.
 */
export interface KindDefinition {
  /** kind names the kind in build errors. */
  kind: string;
  description: string;
  spec: z.ZodType;
  status: z.ZodType;
  rules: readonly CelRuleSet[];
  columns: PrinterColumn[];
  /** names are the names of what a team applies: the v1 claim and the v2 namespaced XR. */
  names: { kind: string; plural: string; shortNames: readonly string[] };
  /** composite names the v1 cluster-scoped XR. */
  composite: XrdNames;
  compositions: { v1: string; v2: string };
}

/**
 * kindSchema builds a kind's `openAPIV3Schema` from the zod schemas of its
 * spec and status, with its CEL rules attached; a spec that defines a field
 * Crossplane reserves is refused.
 */
export function kindSchema(def: KindDefinition): Result<StructuralSchema> {
  const spec = toStructuralSchema(def.spec);
  if (!spec.ok) return { ok: false, error: `cannot build ${def.kind} spec schema: ${spec.error}` };
  const status = toStructuralSchema(def.status);
  if (!status.ok) return { ok: false, error: `cannot build ${def.kind} status schema: ${status.error}` };
  const clash = RESERVED_SPEC_FIELDS.filter((f) => spec.value.properties?.[f] !== undefined);
  if (clash.length > 0) return { ok: false, error: `cannot build ${def.kind} spec schema: Crossplane reserves ${clash.join(', ')}` };
  let schema: StructuralSchema = {
    type: 'object',
    description: def.description,
    required: ['spec'],
    properties: { spec: spec.value, status: status.value },
  };
  for (const set of def.rules) {
    const next = withCelRules(schema, set.path, set.rules);
    if (!next.ok) return next;
    schema = next.value;
  }
  return { ok: true, value: schema };
}

/** XrdVersion is one served version of a CompositeResourceDefinition. */
export interface XrdVersion {
  name: string;
  served: boolean;
  referenceable: boolean;
  additionalPrinterColumns: PrinterColumn[];
  schema: { openAPIV3Schema: StructuralSchema };
}

/** Xrd is a CompositeResourceDefinition of Crossplane v1 or v2. */
export interface Xrd {
  apiVersion: 'apiextensions.crossplane.io/v1' | 'apiextensions.crossplane.io/v2';
  kind: 'CompositeResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    scope?: 'Namespaced' | 'Cluster';
    names: XrdNames;
    claimNames?: XrdNames;
    defaultCompositionRef: { name: string };
    versions: XrdVersion[];
  };
}

/** XrdNames are the names `kubectl` knows a kind by: plural, short names and the categories it is listed under. */
export interface XrdNames {
  kind: string;
  plural: string;
  shortNames: string[];
  categories: string[];
}

/** XrdPlural names the resources of each XRD, and so (with the group) the XRDs themselves. */
export const XrdPlural = { composite: 'xdeployments', claim: 'deployments' } as const;

/**
 * CLAIM_NAMES are the names of the kind a team applies (the v1 claim, the v2
 * namespaced XR): `Deployment` alone is read by kubectl as apps/v1, so
 * `kubectl get sdeploy`, `kubectl get scia` and `kubectl get claim` list them.
 * Crossplane adds the category `claim` to a v1 claim's CRD and `composite` to
 * every XR's, so each XRD states only what Crossplane does not add.
 */
export const CLAIM_NAMES = { kind: Api.claimKind, plural: XrdPlural.claim, shortNames: ['sdeploy'] } as const;

/** COMPOSITE_NAMES are the v1 cluster-scoped XR's names (`kubectl get xsdeploy`). */
export const COMPOSITE_NAMES: XrdNames = {
  kind: Api.compositeKind,
  plural: XrdPlural.composite,
  shortNames: ['xsdeploy'],
  categories: ['scia'],
};

const namesOf = (n: KindDefinition['names'], categories: string[]): XrdNames => ({ ...n, shortNames: [...n.shortNames], categories });

function versionsOf(def: KindDefinition, schema: StructuralSchema): XrdVersion[] {
  return [{
    name: Api.version,
    served: true,
    referenceable: true,
    additionalPrinterColumns: def.columns,
    schema: { openAPIV3Schema: schema },
  }];
}

/**
 * kindXrdV1 builds a kind's Crossplane v1 XRD (`apiextensions.crossplane.io/v1`,
 * Crossplane 1.17+ and 2.x): a cluster-scoped XR offering the namespaced claim
 * a team applies, composed by the kind's v1 composition.
 */
export function kindXrdV1(def: KindDefinition): Result<Xrd> {
  const schema = kindSchema(def);
  if (!schema.ok) return schema;
  return {
    ok: true,
    value: {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'CompositeResourceDefinition',
      metadata: { name: `${def.composite.plural}.${Api.group}` },
      spec: {
        group: Api.group,
        names: def.composite,
        claimNames: namesOf(def.names, ['scia']),
        defaultCompositionRef: { name: def.compositions.v1 },
        versions: versionsOf(def, schema.value),
      },
    },
  };
}

/**
 * kindXrdV2 builds a kind's Crossplane v2 XRD (`apiextensions.crossplane.io/v2`,
 * Crossplane 2.x): a namespaced XR with no claim, composed by the kind's v2
 * composition. A team writes the same manifest for either XRD; install one of
 * the two per cluster, as both serve the same resource.
 */
export function kindXrdV2(def: KindDefinition): Result<Xrd> {
  const schema = kindSchema(def);
  if (!schema.ok) return schema;
  return {
    ok: true,
    value: {
      apiVersion: 'apiextensions.crossplane.io/v2',
      kind: 'CompositeResourceDefinition',
      metadata: { name: `${def.names.plural}.${Api.group}` },
      spec: {
        group: Api.group,
        scope: 'Namespaced',
        names: namesOf(def.names, ['scia', 'claim']),
        defaultCompositionRef: { name: def.compositions.v2 },
        versions: versionsOf(def, schema.value),
      },
    },
  };
}

const DEPLOYMENT: KindDefinition = {
  kind: 'Deployment',
  description: 'A Deployment deploys an application from its repository: SCIA analyses it, decides how to run it and composes the AWS resources.',
  spec: DeploymentSpec,
  status: DeploymentStatus,
  rules: CEL_RULES,
  columns: PRINTER_COLUMNS,
  names: CLAIM_NAMES,
  composite: COMPOSITE_NAMES,
  compositions: CompositionName,
};

/** deploymentSchema is the Deployment's `openAPIV3Schema`, with its CEL rules. */
export function deploymentSchema(): Result<StructuralSchema> {
  return kindSchema(DEPLOYMENT);
}

/** xrdV1 builds the v1 XRD: the cluster XR `XDeployment` offering the claim `Deployment` (composition `deployment-aws`). */
export function xrdV1(): Result<Xrd> {
  return kindXrdV1(DEPLOYMENT);
}

/** xrdV2 builds the v2 XRD: the namespaced XR `Deployment` (composition `deployment-aws-v2`). */
export function xrdV2(): Result<Xrd> {
  return kindXrdV2(DEPLOYMENT);
}
