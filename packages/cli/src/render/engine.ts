import { checkCompositionKind, checkCompositionMatches, checkFunctionKinds } from './checks.js';
import { renderComposed } from './composed.js';
import { renderComposite, withFullXr } from './composite.js';
import { applyXrdDefaults } from './defaults.js';
import { field, isJsonObject } from './json.js';
import { runPipeline, type PipelineState } from './pipeline.js';
import { startRuntimes } from './runtimes.js';
import {
  DEFAULT_TIMEOUT_MS,
  RENDER_API_VERSION,
  type JsonObject,
  type RenderInputs,
  type RenderOptions,
  type RenderResult,
} from './types.js';

/**
 * renderPipeline renders an XR as `crossplane render` does: it checks that the
 * Composition fits the XR and is a Pipeline, applies XRD defaults, reaches
 * every Function (Development targets dialled, SCIA built-ins served
 * in-process), runs the pipeline and returns the documents to print: the XR,
 * the composed resources sorted by name, then Results (`includeResults`) and
 * the Context (`includeContext`). A Fatal result or any failure gives
 * `{ ok: false, error }` with a one-line reason and no documents.
 */
export async function renderPipeline(inputs: RenderInputs, options: RenderOptions): Promise<RenderResult> {
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
  try {
    const steps = field(inputs.composition, 'spec', 'pipeline');
    return await runPipeline(runner.value, {
      xr,
      steps: Array.isArray(steps) ? steps.filter(isJsonObject) : [],
      observed: inputs.observed ?? [],
      required: inputs.requiredResources ?? [],
      extra: inputs.extraResources ?? [],
      secrets: inputs.credentials ?? [],
      context: { ...(inputs.context ?? {}) },
    });
  } finally {
    await runner.value.stop();
  }
}

function buildDocuments(xr: JsonObject, inputs: RenderInputs, state: PipelineState, options: RenderOptions): RenderResult {
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
