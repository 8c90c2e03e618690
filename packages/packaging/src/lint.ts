import type { Validator } from '@scia/schemas';
import { isBounded, parseConstraints } from './constraints.js';
import type { Payload, PayloadDocument } from './payload.js';

/** PackageKind is the kind of a package's meta file. */
export type PackageKind = 'Configuration' | 'Function' | 'Provider';

const META_GROUP = 'meta.pkg.crossplane.io/';
const XRD = new Set(['apiextensions.crossplane.io/v1', 'apiextensions.crossplane.io/v2']);
const COMPOSITION = 'apiextensions.crossplane.io/v1';
const CRD = new Set(['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1']);
const WEBHOOKS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const where = (d: PayloadDocument): string => `${d.file}#${d.index + 1}`;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * lintPayload applies the package linter's rules to a payload: every document
 * is an object with apiVersion and kind; exactly one meta file, of `kind`,
 * whose crossplane.version parses; a Configuration holds only XRDs and
 * Compositions, a Function or Provider only CRDs (and a Provider webhook
 * configurations); examples are objects with apiVersion and kind. With a
 * validator, each object is also checked against its pinned CRD. Problems are
 * returned as `file#doc: message` lines.
 */
export function lintPayload(payload: Payload, kind: PackageKind, validator?: Validator): string[] {
  const problems = [...payload.errors];
  const typed = (d: PayloadDocument): Obj | undefined => {
    if (isObj(d.value) && str(d.value['apiVersion']) !== undefined && str(d.value['kind']) !== undefined) return d.value;
    problems.push(`${where(d)}: a document needs string apiVersion and kind`);
    return undefined;
  };
  const metas = payload.documents.filter((d) => isObj(d.value) && str(d.value['apiVersion'])?.startsWith(META_GROUP) === true);
  if (metas.length !== 1) {
    problems.push(`not exactly one package meta type: ${metas.length === 0 ? 'none' : metas.map(where).join(', ')}`);
  }
  for (const m of metas) problems.push(...lintMeta(m, kind));
  for (const d of payload.documents) {
    if (metas.includes(d)) continue;
    const obj = typed(d);
    if (obj === undefined) continue;
    const refused = refuse(obj, kind);
    if (refused !== undefined) problems.push(`${where(d)}: ${refused}`);
    else if (validator !== undefined) {
      const r = validator.validate(obj);
      if (!r.ok) problems.push(...r.errors.map((e) => `${where(d)}: ${e}`));
    }
  }
  for (const d of payload.examples.documents) typed(d);
  return problems;
}

function refuse(obj: Obj, kind: PackageKind): string | undefined {
  const apiVersion = str(obj['apiVersion']) ?? '';
  const k = str(obj['kind']) ?? '';
  if (kind === 'Configuration') {
    if (XRD.has(apiVersion) && k === 'CompositeResourceDefinition') return undefined;
    if (apiVersion === COMPOSITION && k === 'Composition') return undefined;
    return `object is not an XRD or a Composition (${apiVersion} ${k})`;
  }
  if (CRD.has(apiVersion) && k === 'CustomResourceDefinition') return undefined;
  if (kind === 'Provider' && apiVersion === 'admissionregistration.k8s.io/v1' && WEBHOOKS.has(k)) return undefined;
  return `object is not a CRD (${apiVersion} ${k})`;
}

function lintMeta(d: PayloadDocument, kind: PackageKind): string[] {
  const meta = d.value as Obj;
  const problems: string[] = [];
  if (meta['kind'] !== kind) problems.push(`${where(d)}: package meta type is not ${kind}`);
  const spec = isObj(meta['spec']) ? meta['spec'] : {};
  const crossplane = isObj(spec['crossplane']) ? str(spec['crossplane']['version']) : undefined;
  if (crossplane !== undefined) {
    const parsed = parseConstraints(crossplane);
    if (!parsed.ok) problems.push(`${where(d)}: package version constraints are poorly formatted: ${parsed.error}`);
  }
  return problems;
}

/** DEPRECATED_DEPENDENCY_KEYS name a dependency the way Crossplane before 1.19 did. */
const DEPRECATED_DEPENDENCY_KEYS = ['provider', 'configuration', 'function'];

/**
 * dependencyProblems holds a meta file's `dependsOn` to SCIA's rules beyond
 * the linter's: each entry uses the current keys (apiVersion
 * pkg.crossplane.io/v1, kind, package) and a parseable, bounded version range.
 */
export function dependencyProblems(meta: unknown): string[] {
  const spec = isObj(meta) && isObj(meta['spec']) ? meta['spec'] : {};
  const deps = Array.isArray(spec['dependsOn']) ? (spec['dependsOn'] as unknown[]) : [];
  return deps.flatMap((dep, i) => {
    const at = `spec.dependsOn[${i}]`;
    if (!isObj(dep)) return [`${at}: must be an object`];
    const out: string[] = [];
    const old = DEPRECATED_DEPENDENCY_KEYS.filter((k) => k in dep);
    if (old.length > 0) out.push(`${at}: ${old.join(', ')} is deprecated: use apiVersion, kind and package`);
    if (dep['apiVersion'] !== 'pkg.crossplane.io/v1') out.push(`${at}.apiVersion: must be pkg.crossplane.io/v1`);
    if (!['Provider', 'Function', 'Configuration'].includes(str(dep['kind']) ?? '')) out.push(`${at}.kind: must be Provider, Function or Configuration`);
    if ((str(dep['package']) ?? '') === '') out.push(`${at}.package: required`);
    const version = str(dep['version']) ?? '';
    const parsed = parseConstraints(version);
    if (!parsed.ok) out.push(`${at}.version: ${parsed.error}`);
    else if (!isBounded(version)) out.push(`${at}.version: ${JSON.stringify(version)} has no upper bound`);
    return out;
  });
}
