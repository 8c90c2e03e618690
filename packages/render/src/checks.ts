import { field, objectField, stringField, stringMap } from './json.js';
import type { JsonObject } from './types.js';

/** CheckResult is undefined when the check passes, else the one-line reason. */
export type CheckResult = string | undefined;

const FUNCTION_API_VERSIONS = new Set(['pkg.crossplane.io/v1', 'pkg.crossplane.io/v1beta1']);

/** checkComposition verifies that the manifest is an `apiextensions.crossplane.io/v1` Composition. */
export function checkCompositionKind(comp: JsonObject): CheckResult {
  if (comp['apiVersion'] === 'apiextensions.crossplane.io/v1' && comp['kind'] === 'Composition') return undefined;
  return `not a composition: ${stringField(comp, 'kind')}/${stringField(comp, 'metadata', 'name')}`;
}

/**
 * checkCompositionMatches runs `crossplane render`'s checks before any function
 * runs, in its order: the Composition's compositeTypeRef kind and apiVersion
 * equal the XR's, every label of the XR's compositionSelector.matchLabels is on
 * the Composition with the same value, and the Composition's mode is Pipeline.
 */
export function checkCompositionMatches(xr: JsonObject, comp: JsonObject): CheckResult {
  const refKind = stringField(comp, 'spec', 'compositeTypeRef', 'kind');
  const refApiVersion = stringField(comp, 'spec', 'compositeTypeRef', 'apiVersion');
  const xrKind = stringField(xr, 'kind');
  const xrApiVersion = stringField(xr, 'apiVersion');
  if (refKind !== xrKind) {
    return `composition's compositeTypeRef.kind (${refKind}) does not match XR's kind (${xrKind})`;
  }
  if (refApiVersion !== xrApiVersion) {
    return `composition's compositeTypeRef.apiVersion (${refApiVersion}) does not match XR's apiVersion (${xrApiVersion})`;
  }
  const name = stringField(comp, 'metadata', 'name');
  const labels = stringMap(comp, 'metadata', 'labels');
  const want = compositionSelectorLabels(xr);
  for (const key of Object.keys(want).sort()) {
    const got = labels[key];
    if (got === undefined) return `composition ${JSON.stringify(name)} is missing required label ${JSON.stringify(key)}`;
    if (got !== want[key]) {
      return `composition ${JSON.stringify(name)} has incorrect value for label ${JSON.stringify(key)}: want ${JSON.stringify(want[key])}, got ${JSON.stringify(got)}`;
    }
  }
  if (field(comp, 'spec', 'mode') !== 'Pipeline') {
    return `render only supports Composition Function pipelines: Composition ${JSON.stringify(name)} must use spec.mode: Pipeline`;
  }
  return undefined;
}

/**
 * compositionSelectorLabels reads the XR's selector from
 * `spec.crossplane.compositionSelector` only: crossplane render reads the XR
 * with the v2 schema, so a v1 `spec.compositionSelector` is not a selector.
 */
function compositionSelectorLabels(xr: JsonObject): Record<string, string> {
  return stringMap(objectField(xr, 'spec', 'crossplane', 'compositionSelector'), 'matchLabels');
}

/** checkFunctionKinds verifies that every manifest is a `pkg.crossplane.io/v1` or `v1beta1` Function. */
export function checkFunctionKinds(functions: readonly JsonObject[]): CheckResult {
  for (const fn of functions) {
    const apiVersion = stringField(fn, 'apiVersion');
    if (!FUNCTION_API_VERSIONS.has(apiVersion) || fn['kind'] !== 'Function') {
      return `not a function: ${stringField(fn, 'kind')}/${stringField(fn, 'metadata', 'name')}`;
    }
  }
  return undefined;
}
