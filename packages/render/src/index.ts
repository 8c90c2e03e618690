/**
 * The render engine behind `scia render`, usable in-process (golden tests call
 * it directly). It behaves as `crossplane render` v2.2.3 does
 * (cmd/crank/render in crossplane/crossplane; differences in README.md):
 *
 *   const inputs = await loadRenderInputs({ xr, composition, functions, observedResources });
 *   if (!inputs.ok) throw new Error(inputs.error);
 *   const out = await renderPipeline(inputs.value, { includeResults: true, builtins });
 *   if (out.ok) process.stdout.write(formatStream(out.value.documents));
 *
 * - loadRenderInputs(paths) reads the files (a FUNCTIONS or resources path may
 *   be a directory of .yaml/.yml files) and runs the pre-run checks in
 *   `crossplane render`'s order, returning `{ ok, value: RenderInputs }` or
 *   `{ ok: false, error }` with crossplane's one-line message.
 * - renderPipeline(inputs, options) runs the checks again (for callers that
 *   build RenderInputs themselves), applies XRD defaults, starts each
 *   Function's runtime and runs the pipeline. A Function annotated
 *   `render.crossplane.io/runtime: Development` is dialled at its
 *   `runtime-development-target` (default localhost:9443), plaintext, waiting
 *   for it until `timeoutMs`; under the Docker runtime (the default) a
 *   Function must be one of `options.builtins` (injected by the caller: the
 *   CLI passes SCIA's functions), served in-process on 127.0.0.1:0 over real
 *   gRPC, built by the caller's registry given its `runtime-docker-env`,
 *   then shut down;
 *   any other is refused, naming what would let it run. Calls use the v1
 *   RunFunction and fall back to v1beta1; every request carries the
 *   advertised capabilities and an empty `meta.tag`, as crossplane render's
 *   do; a step is called again (up to 6 calls) while its requirements change,
 *   answered from the required resources and `--required-schemas`. It returns
 *   `{ ok: true, value: { documents } }` (the XR, composed resources sorted by
 *   name, Results with `includeResults`, the Context with `includeContext`) or
 *   `{ ok: false, error }`: a Fatal result yields no documents.
 * - renderFiles(paths, options) does all three and returns the printed text.
 * - formatStream(documents) prints them as crossplane does: `---` before each
 *   document, keys sorted, go-yaml's quoting.
 */
export { renderFiles, renderPipeline } from './engine.js';
export { loadRenderInputs, type RenderPaths } from './load.js';
export { formatDocument, formatStream } from './format.js';
export { parseGoDuration } from './duration.js';
export { stableNAndSomeMore, CONDITION_TIME } from './composite.js';
export { MAX_REQUIREMENTS_ITERATIONS } from './requirements.js';
export { CAPABILITIES } from './pipeline.js';
export {
  ANNOTATION_DEVELOPMENT_TARGET,
  ANNOTATION_RESOURCE_NAME,
  ANNOTATION_RUNTIME,
  DEFAULT_DEVELOPMENT_TARGET,
  DEFAULT_TIMEOUT_MS,
  type BuiltinRegistry,
  type FunctionEnv,
  type JsonObject,
  type RenderInputs,
  type RenderOptions,
  type RenderOutput,
} from './types.js';
export { parseYamlStream, parseYamlValue, type Result } from './yaml-io.js';
