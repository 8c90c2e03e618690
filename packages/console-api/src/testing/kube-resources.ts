import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generatedCrds, type Xrd } from '@scia/api';
import type { ResourceDef } from './kube-store.js';

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** XRD_DIR is the repository's xrds/ directory (this file is packages/console-api/{src,dist}/testing/). */
export const XRD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'xrds');

/** XRD_FILES names the XRD file of each Crossplane API version. */
export const XRD_FILES = { v1: 'xdeployments.v1.yaml', v2: 'deployments.v2.yaml' } as const;

/**
 * crdResources reads an XRD from `dir` and serves the CRDs Crossplane
 * generates from it (for v1: the cluster-scoped XR and the namespaced claim;
 * for v2: the namespaced XR), with their schemas.
 */
export function crdResources(which: keyof typeof XRD_FILES, dir = XRD_DIR): ResourceDef[] {
  const file = join(dir, XRD_FILES[which]);
  const xrd = parse(readFileSync(file, 'utf8')) as Xrd;
  return generatedCrds(xrd).flatMap((crd) => crd.spec.versions.filter((v) => v.served).map((v) => ({
    group: crd.spec.group,
    version: v.name,
    kind: crd.spec.names.kind,
    plural: crd.spec.names.plural,
    namespaced: crd.spec.scope === 'Namespaced',
    verbs: ALL_VERBS,
    status: true,
    schema: v.schema.openAPIV3Schema,
    categories: crd.spec.names.categories,
  })));
}

/** BUILTIN_RESOURCES are the built-in kinds the loopback server keeps: namespaces and core/v1 events. */
export const BUILTIN_RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, verbs: ALL_VERBS, status: true },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, verbs: ALL_VERBS, status: false },
];

/** REVIEW_RESOURCES are the create-only review kinds the server answers. */
export const REVIEW_RESOURCES: ResourceDef[] = [
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false, verbs: ['create'], status: false },
  { group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', namespaced: false, verbs: ['create'], status: false },
];

/** managedResource declares a composed kind (such as a provider-aws managed resource) for the server to keep. */
export function managedResource(apiVersion: string, kind: string, plural: string, namespaced: boolean): ResourceDef {
  const [group = '', version = ''] = apiVersion.split('/');
  return { group, version, kind, plural, namespaced, verbs: ALL_VERBS, status: true };
}
