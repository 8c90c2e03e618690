import type { JsonObject } from '@scia/runtime';
import { KINDS, awsApiVersion, type AwsKind } from './kinds.js';
import type { Composed, RenderContext } from './model.js';
import { resourceName } from './naming.js';
import { asgTags, COMPONENT_LABEL, labelsFor, tagsFor } from './tags.js';

/** ManagedOptions are the parts of a managed resource beyond its forProvider. */
export interface ManagedOptions {
  labels?: Record<string, string>;
  /** externalName sets `crossplane.io/external-name`, for kinds whose AWS name is their identity (log groups). */
  externalName?: string;
  /** connectionSecret names the Secret the provider writes connection details to. */
  connectionSecret?: string;
  /** tags are added to the standard tags, for kinds that take a tags map. */
  tags?: Record<string, string>;
}

/** CONNECTION_SECRET_NAMESPACE is where cluster-scoped resources write connection secrets. */
export const CONNECTION_SECRET_NAMESPACE = 'crossplane-system';

/**
 * managed builds the provider-aws managed resource `key` of `kind`: name
 * `<xr>-<key>`, labels for selection, the region and tags in forProvider, and
 * the providerConfigRef of the claim's spec.providerConfigName (a
 * ClusterProviderConfig for namespaced resources).
 */
export function managed(ctx: RenderContext, key: string, kind: AwsKind, forProvider: JsonObject, opts: ManagedOptions = {}): Composed {
  const { target, plan } = ctx;
  const tagged: JsonObject = KINDS[kind].regional ? { region: plan.region, ...forProvider } : { ...forProvider };
  const style = KINDS[kind].tags;
  if (style === 'map') tagged['tags'] = { ...(opts.tags ?? {}), ...tagsFor(target) };
  if (style === 'asg') tagged['tag'] = asgTags(target);
  const metadata: JsonObject = {
    name: resourceName(target, key),
    labels: { ...labelsFor(target, key), ...(opts.labels ?? {}) },
  };
  if (target.scope === 'namespaced') metadata['namespace'] = target.namespace;
  if (opts.externalName !== undefined) metadata['annotations'] = { 'crossplane.io/external-name': opts.externalName };
  const spec: JsonObject = { forProvider: tagged, providerConfigRef: providerConfigRef(ctx) };
  if (opts.connectionSecret !== undefined) spec['writeConnectionSecretToRef'] = secretRef(ctx, opts.connectionSecret);
  return { key, body: { apiVersion: awsApiVersion(kind, target.scope), kind: KINDS[kind].kind, metadata, spec } };
}

function providerConfigRef(ctx: RenderContext): JsonObject {
  const name = ctx.plan.providerConfigName;
  return ctx.target.scope === 'cluster' ? { name } : { kind: 'ClusterProviderConfig', name };
}

function secretRef(ctx: RenderContext, name: string): JsonObject {
  return ctx.target.scope === 'cluster' ? { name, namespace: CONNECTION_SECRET_NAMESPACE } : { name };
}

/** select is a selector for the composed resource `key` of this XR. */
export function select(key: string): JsonObject {
  return { matchControllerRef: true, matchLabels: { [COMPONENT_LABEL]: key } };
}

/** selectLabel is a selector for every composed resource of this XR carrying `label: value`. */
export function selectLabel(label: string, value: string): JsonObject {
  return { matchControllerRef: true, matchLabels: { [label]: value } };
}

/** partition is the AWS partition of a region, for ARNs of AWS-managed policies. */
export function partition(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** managedPolicyArn is the ARN of the AWS-managed IAM policy `name` in the region's partition. */
export function managedPolicyArn(region: string, name: string): string {
  return `arn:${partition(region)}:iam::aws:policy/${name}`;
}
