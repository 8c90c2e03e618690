import {
  Capability,
  Ready,
  Severity,
  type Condition,
  type Credentials,
  type Requirements,
  type RunFunctionRequest,
  type RunFunctionResponse,
  type State,
} from '@crossplane-org/function-sdk-typescript';
import { isFatal } from '@scia/runtime';
import { field, isObject, objectField, stringField, stringMap } from './json.js';
import { MAX_REQUIREMENTS_ITERATIONS, bootstrapRequirements, fetchAll, fetchSchemas, sameRequirements } from './requirements.js';
import type { FunctionRunner } from './runtimes.js';
import { ANNOTATION_RESOURCE_NAME, RENDER_API_VERSION, type JsonObject } from './types.js';
import type { Result } from './yaml-io.js';

/** CAPABILITIES are what this render advertises in every request's meta, as Crossplane v2.2 does. */
export const CAPABILITIES: readonly Capability[] = [
  Capability.CAPABILITY_CAPABILITIES,
  Capability.CAPABILITY_REQUIRED_RESOURCES,
  Capability.CAPABILITY_CREDENTIALS,
  Capability.CAPABILITY_CONDITIONS,
  Capability.CAPABILITY_REQUIRED_SCHEMAS,
];

export interface PipelineInputs {
  xr: JsonObject;
  steps: readonly JsonObject[];
  observed: readonly JsonObject[];
  required: readonly JsonObject[];
  extra: readonly JsonObject[];
  /** schemas are the `--required-schemas` OpenAPI documents. */
  schemas: readonly JsonObject[];
  secrets: readonly JsonObject[];
  context: JsonObject;
}

/** PipelineState is what the last step left: desired state and context, plus every step's results and conditions. */
export interface PipelineState {
  desired: State | undefined;
  context: JsonObject | undefined;
  results: JsonObject[];
  conditions: Condition[];
}

/** observedState builds `observed`: the XR as read and each observed resource keyed by its composition resource name. */
export function observedState(xr: JsonObject, observed: readonly JsonObject[]): State {
  const resources: State['resources'] = {};
  for (const r of observed) {
    const name = stringMap(r, 'metadata', 'annotations')[ANNOTATION_RESOURCE_NAME] ?? '';
    resources[name] = { resource: r, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED };
  }
  return { composite: { resource: xr, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED }, resources };
}

/**
 * runPipeline runs each step in order: each gets the previous step's desired
 * state and context, its input and credentials, and is called again while its
 * requirements change. A Fatal result stops the render with an error naming
 * the step; other results are kept as `Result` documents.
 */
export async function runPipeline(runner: FunctionRunner, inputs: PipelineInputs): Promise<Result<PipelineState>> {
  const observed = observedState(inputs.xr, inputs.observed);
  const state: PipelineState = { desired: { composite: undefined, resources: {} }, context: inputs.context, results: [], conditions: [] };
  for (const step of inputs.steps) {
    const name = stringField(step, 'step');
    const req = buildRequest(step, observed, state, inputs);
    if (!req.ok) return req;
    let rsp: RunFunctionResponse;
    try {
      rsp = await callUntilSettled(runner, stringField(step, 'functionRef', 'name'), req.value.request, req.value.bootstrap, [...inputs.extra, ...inputs.required], inputs.schemas);
    } catch (err) {
      return { ok: false, error: `cannot run pipeline step ${JSON.stringify(name)}: ${err instanceof Error ? err.message : String(err)}` };
    }
    state.desired = rsp.desired;
    state.context = rsp.context;
    state.conditions.push(...rsp.conditions);
    for (const r of rsp.results) {
      if (r.severity === Severity.SEVERITY_FATAL) {
        return { ok: false, error: `pipeline step ${JSON.stringify(name)} returned a fatal result: ${r.message}` };
      }
      state.results.push({ apiVersion: RENDER_API_VERSION, kind: 'Result', step: name, severity: Severity[r.severity], message: r.message });
    }
  }
  return { ok: true, value: state };
}

/** Bootstrap is what a step's `requirements` answer before its first call; every later call starts from it again. */
type Bootstrap = Pick<RunFunctionRequest, 'requiredResources' | 'requiredSchemas'>;

/**
 * buildRequest is a step's first request. Its `meta.tag` is empty: crossplane
 * render sends none (cmd/crank/render/render.go sets only the capabilities).
 */
function buildRequest(step: JsonObject, observed: State, state: PipelineState, inputs: PipelineInputs): Result<{ request: RunFunctionRequest; bootstrap: Bootstrap }> {
  const credentials = stepCredentials(step, inputs.secrets);
  if (!credentials.ok) return credentials;
  const input = field(step, 'input');
  const found = bootstrapRequirements(step, inputs.required, inputs.schemas);
  if (!found.ok) return found;
  const bootstrap: Bootstrap = { requiredResources: found.value.resources, requiredSchemas: found.value.schemas };
  const request: RunFunctionRequest = {
    meta: { tag: '', capabilities: [...CAPABILITIES] },
    observed,
    desired: state.desired,
    ...(isObject(input) ? { input } : {}),
    ...(state.context === undefined ? {} : { context: state.context }),
    extraResources: {},
    credentials: credentials.value,
    requiredResources: { ...bootstrap.requiredResources },
    requiredSchemas: { ...bootstrap.requiredSchemas },
  };
  return { ok: true, value: { request, bootstrap } };
}

/** stepCredentials loads a step's `Secret` credentials from the supplied Secrets, matched by name and namespace. */
function stepCredentials(step: JsonObject, secrets: readonly JsonObject[]): Result<Record<string, Credentials>> {
  const out: Record<string, Credentials> = {};
  const list = field(step, 'credentials');
  for (const cs of Array.isArray(list) ? list.filter(isObject) : []) {
    const ref = objectField(cs, 'secretRef');
    if (cs['source'] !== 'Secret' || ref === undefined) continue;
    const secretName = stringField(ref, 'name');
    const secret = secrets.find(
      (s) => stringField(s, 'metadata', 'name') === secretName && stringField(s, 'metadata', 'namespace') === stringField(ref, 'namespace'),
    );
    if (secret === undefined) {
      return { ok: false, error: `cannot get credentials from secret ${JSON.stringify(secretName)}: secret ${JSON.stringify(secretName)} not found` };
    }
    const data: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(stringMap(secret, 'data'))) data[k] = Buffer.from(v, 'base64');
    out[stringField(cs, 'name')] = { credentialData: { data } };
  }
  return { ok: true, value: out };
}

/**
 * callUntilSettled calls a function up to 1 + MAX_REQUIREMENTS_ITERATIONS
 * times: while its requirements differ from the previous call's, it answers
 * them from the supplied resources on top of the step's bootstrap answers (as
 * internal/xfn's FetchingFunctionRunner restores them each time) and calls
 * again with the returned context. A Fatal result or unchanged requirements
 * end the loop.
 */
async function callUntilSettled(
  runner: FunctionRunner,
  fnName: string,
  req: RunFunctionRequest,
  bootstrap: Bootstrap,
  candidates: readonly JsonObject[],
  docs: readonly JsonObject[],
): Promise<RunFunctionResponse> {
  let previous: Requirements | undefined;
  for (let i = 0; i <= MAX_REQUIREMENTS_ITERATIONS; i++) {
    const rsp = await runner.run(fnName, req);
    if (isFatal(rsp) || sameRequirements(rsp.requirements, previous)) return rsp;
    previous = rsp.requirements;
    req.requiredResources = { ...bootstrap.requiredResources, ...fetchAll(candidates, rsp.requirements?.resources) };
    req.extraResources = fetchAll(candidates, rsp.requirements?.extraResources);
    const schemas = fetchSchemas(docs, rsp.requirements?.schemas);
    if (!schemas.ok) throw new Error(schemas.error);
    req.requiredSchemas = { ...bootstrap.requiredSchemas, ...schemas.value };
    if (rsp.context === undefined) delete req.context;
    else req.context = rsp.context;
  }
  throw new Error(`requirements didn't stabilize after the maximum number of iterations (${MAX_REQUIREMENTS_ITERATIONS})`);
}
