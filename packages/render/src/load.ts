import { readFile } from 'node:fs/promises';
import { checkCompositionKind, checkCompositionMatches, checkFunctionKinds } from './checks.js';
import { applyXrdDefaults } from './defaults.js';
import { addToMap } from './json.js';
import { loadRequiredSchemas } from './schemas.js';
import type { JsonObject, RenderInputs } from './types.js';
import { isObject } from '@scia/api';
import { loadYamlObject, loadYamlStream, type Result } from './yaml-io.js';

/** RenderPaths name the files `scia render` reads, as its arguments and flags do. */
export interface RenderPaths {
  xr: string;
  composition: string;
  /** functions is a file of Function documents or a directory of `.yaml`/`.yml` files. */
  functions: string;
  observedResources?: string;
  requiredResources?: string;
  extraResources?: string;
  functionCredentials?: string;
  /** requiredSchemas is a directory of OpenAPI v3 JSON documents (searched recursively). */
  requiredSchemas?: string;
  xrd?: string;
  /** functionAnnotations are `key=value` annotations set on every Function, later ones winning (`-a`). */
  functionAnnotations?: readonly string[];
  /** contextFiles map a context key to a file holding its JSON (or YAML) value. */
  contextFiles?: Readonly<Record<string, string>>;
  /** contextValues map a context key to its JSON (or YAML) value; they win over contextFiles. */
  contextValues?: Readonly<Record<string, string>>;
}

/**
 * loadRenderInputs reads and checks everything a render needs, in
 * `crossplane render`'s order, so the first problem reported is the one it
 * would report: XR, Composition, the Composition checks, Functions and their
 * annotation overrides, XRD (whose defaults apply to the XR at once),
 * credentials, observed, extra and required resources, context, schemas.
 */
export async function loadRenderInputs(paths: RenderPaths): Promise<Result<RenderInputs>> {
  const xr = await loadYamlObject(paths.xr);
  if (!xr.ok) return fail(`cannot load composite resource from ${q(paths.xr)}: ${xr.error.replace(/^cannot (read|unmarshal)/, 'cannot $1 composite resource')}`);
  const comp = await loadYamlObject(paths.composition);
  if (!comp.ok) return fail(`cannot load Composition from ${q(paths.composition)}: ${comp.error.replace(/^cannot (read|unmarshal)/, 'cannot $1 composition')}`);
  const compKind = checkCompositionKind(comp.value);
  if (compKind !== undefined) return fail(`cannot load Composition from ${q(paths.composition)}: ${compKind}`);
  const mismatch = checkCompositionMatches(xr.value, comp.value);
  if (mismatch !== undefined) return fail(mismatch);
  const functions = await loadObjects(paths.functions, 'Function');
  if (!functions.ok) return fail(`cannot load functions from ${q(paths.functions)}: ${functions.error}`);
  const fnKinds = checkFunctionKinds(functions.value);
  if (fnKinds !== undefined) return fail(`cannot load functions from ${q(paths.functions)}: ${fnKinds}`);
  const annotated = overrideFunctionAnnotations(functions.value, paths.functionAnnotations ?? []);
  if (!annotated.ok) return fail(`cannot apply function annotation overrides: ${annotated.error}`);
  const inputs: RenderInputs = { xr: xr.value, composition: comp.value, functions: annotated.value };
  if (paths.xrd !== undefined) {
    const xrd = await loadYamlObject(paths.xrd);
    if (!xrd.ok) return fail(`cannot load XRD from ${q(paths.xrd)}: ${xrd.error}`);
    // Defaults apply now, before credentials load, as in crossplane render.
    const defaulted = applyXrdDefaults(inputs.xr, xrd.value);
    if (!defaulted.ok) return defaulted;
    inputs.xr = defaulted.value;
  }
  const credentials = await loadOptional(paths.functionCredentials, 'secrets', 'secret');
  if (!credentials.ok) return credentials;
  const observed = await loadOptional(paths.observedResources, 'observed composed resources', 'composed resource');
  if (!observed.ok) return observed;
  const extra = await loadOptional(paths.extraResources, 'extra resources', 'resource');
  if (!extra.ok) return extra;
  const required = await loadOptional(paths.requiredResources, 'required resources', 'resource');
  if (!required.ok) return required;
  if (credentials.value !== undefined) inputs.credentials = credentials.value;
  if (observed.value !== undefined) inputs.observed = observed.value;
  if (extra.value !== undefined) inputs.extraResources = extra.value;
  if (required.value !== undefined) inputs.requiredResources = required.value;
  const context = await readContext(paths);
  if (!context.ok) return context;
  inputs.contextText = context.value;
  if (paths.requiredSchemas !== undefined) {
    const schemas = await loadRequiredSchemas(paths.requiredSchemas);
    if (!schemas.ok) return fail(`cannot load OpenAPI schemas from ${q(paths.requiredSchemas)}: ${schemas.error}`);
    inputs.requiredSchemas = schemas.value;
  }
  return { ok: true, value: inputs };
}

/** overrideFunctionAnnotations sets each `key=value` annotation on every Function, over what the Function says. */
function overrideFunctionAnnotations(functions: readonly JsonObject[], annotations: readonly string[]): Result<JsonObject[]> {
  const entries: Record<string, string> = {};
  for (const a of annotations) {
    const at = a.indexOf('=');
    if (at === -1) return fail(`invalid function annotation format ${q(a)}, expected key=value`);
    entries[a.slice(0, at)] = a.slice(at + 1);
  }
  if (annotations.length === 0) return { ok: true, value: [...functions] };
  return {
    ok: true,
    value: functions.map((fn) => {
      const copy = structuredClone(fn);
      addToMap(copy, 'annotations', entries);
      return copy;
    }),
  };
}

/** readContext reads `--context-files` then `--context-values`, the latter winning; values are parsed when the render runs. */
async function readContext(paths: RenderPaths): Promise<Result<Record<string, string>>> {
  const raw: Record<string, string> = {};
  for (const [key, file] of Object.entries(paths.contextFiles ?? {})) {
    try {
      raw[key] = await readFile(file, 'utf8');
    } catch (err) {
      return fail(`cannot read context value for key ${q(key)}: ${(err as Error).message}`);
    }
  }
  return { ok: true, value: { ...raw, ...paths.contextValues } };
}

async function loadOptional(path: string | undefined, what: string, kind: string): Promise<Result<JsonObject[] | undefined>> {
  if (path === undefined) return { ok: true, value: undefined };
  const loaded = await loadObjects(path, kind);
  return loaded.ok ? loaded : fail(`cannot load ${what} from ${q(path)}: ${loaded.error}`);
}

async function loadObjects(fileOrDir: string, kind: string): Promise<Result<JsonObject[]>> {
  const docs = await loadYamlStream(fileOrDir);
  if (!docs.ok) return fail(`cannot load YAML stream from file: ${docs.error}`);
  const out: JsonObject[] = [];
  for (const doc of docs.value) {
    if (!isObject(doc)) return fail(`cannot parse YAML ${kind} manifest: the document is not a mapping`);
    out.push(doc);
  }
  return { ok: true, value: out };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function q(s: string): string {
  return JSON.stringify(s);
}
