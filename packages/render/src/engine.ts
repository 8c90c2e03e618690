import { checkCompositionKind, checkCompositionMatches, checkFunctionKinds } from './checks.js';
import { renderComposed } from './composed.js';
import { renderComposite, withFullXr } from './composite.js';
import { applyXrdDefaults } from './defaults.js';
import { formatStream } from './format.js';
import { field, isObject } from './json.js';
import { loadRenderInputs, type RenderPaths } from './load.js';
import { runPipeline, type PipelineState } from './pipeline.js';
import { startRuntimes } from './runtimes.js';
import { parseYamlValue, type Result } from './yaml-io.js';
import {
  DEFAULT_TIMEOUT_MS,
  RENDER_API_VERSION,
  type JsonObject,
  type RenderInputs,
  type RenderOptions,
  type RenderOutput,
} from './types.js';

/**
 * renderFiles loads what `paths` name, renders it and prints it: the text
 * `crossplane render` prints on stdout, or its one-line error.
 */
export async function renderFiles(paths: RenderPaths, options: RenderOptions): Promise<Result<string>> {
  const inputs = await loadRenderInputs(paths);
  if (!inputs.ok) return inputs;
  const out = await renderPipeline(inputs.value, options);
  return out.ok ? { ok: true, value: formatStream(out.value.documents) } : out;
}

/**
 * renderPipeline renders an XR as `crossplane render` does: it checks that the
 * Composition fits the XR and is a Pipeline, applies XRD defaults, reaches
 * every Function (Development targets dialled, SCIA built-ins served
 * in-process), runs the pipeline and returns the documents to print: the XR,
 * the composed resources sorted by name, then Results (`includeResults`) and
 * the Context (`includeContext`). A Fatal result or any failure gives
 * `{ ok: false, error }` with a one-line reason and no documents.
 */
export async function renderPipeline(inputs: RenderInputs, options: RenderOptions): Promise<Result<RenderOutput>> {
  const problem =
    checkCompositionKind(inputs.composition) ??
    checkCompositionMatches(inputs.xr, inputs.composition) ??
    checkFunctionKinds(inputs.functions);
  if (problem !== undefined) return { ok: false, error: problem };
  let xr = inputs.xr;
  if (inputs.xrd !== undefined) {
    const defaulted = applyXrdDefaults(xr, inputs.xrd);
    if (!defaulted.ok) return defaulted;
    xr = defaulted.value;
  }
  const state = await runFunctions(xr, inputs, options);
  if (!state.ok) return { ok: false, error: `cannot render composite resource: ${state.error}` };
  return buildDocuments(xr, inputs, state.value, options);
}

async function runFunctions(
  xr: JsonObject,
  inputs: RenderInputs,
  options: RenderOptions,
): Promise<{ ok: true; value: PipelineState } | { ok: false; error: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const runner = await startRuntimes(inputs.functions, {
    builtins: options.builtins,
    deadline,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.note === undefined ? {} : { note: options.note }),
  });
  if (!runner.ok) return runner;
  const context = parseContext(inputs);
  if (!context.ok) {
    await runner.value.stop();
    return context;
  }
  try {
    const steps = field(inputs.composition, 'spec', 'pipeline');
    return await runPipeline(runner.value, {
      xr,
      steps: Array.isArray(steps) ? steps.filter(isObject) : [],
      observed: inputs.observed ?? [],
      required: inputs.requiredResources ?? [],
      extra: inputs.extraResources ?? [],
      schemas: inputs.requiredSchemas ?? [],
      secrets: inputs.credentials ?? [],
      context: context.value,
    });
  } finally {
    await runner.value.stop();
  }
}

/** parseContext is the initial context: `context`, then each `contextText` value parsed as YAML or JSON. */
function parseContext(inputs: RenderInputs): Result<JsonObject> {
  const out: JsonObject = { ...inputs.context };
  for (const [key, text] of Object.entries(inputs.contextText ?? {})) {
    const value = parseYamlValue(text);
    if (!value.ok) return { ok: false, error: `cannot unmarshal YAML/JSON for context key ${JSON.stringify(key)}: ${value.error}` };
    out[key] = value.value;
  }
  return { ok: true, value: out };
}

function buildDocuments(xr: JsonObject, inputs: RenderInputs, state: PipelineState, options: RenderOptions): Result<RenderOutput> {
  const composed = renderComposed(state.desired, xr, inputs.observed ?? []);
  if (!composed.ok) return { ok: false, error: `cannot render composite resource: ${composed.error}` };
  let composite = renderComposite(state.desired, xr, composed.value.unready, state.conditions);
  if (options.includeFullXr === true) {
    const full = withFullXr(composite, xr);
    if (!full.ok) return full;
    composite = full.value;
  }
  const documents: JsonObject[] = [composite, ...composed.value.resources];
  if (options.includeResults === true) documents.push(...state.results);
  if (options.includeContext === true && state.context !== undefined) {
    documents.push({ apiVersion: RENDER_API_VERSION, kind: 'Context', fields: state.context });
  }
  return { ok: true, value: { documents } };
}
