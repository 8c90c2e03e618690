import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import {
  fatal,
  normal,
  respond,
  setDesiredResource,
  setTtl,
  keepObserved,
  warning,
  type Clock,
  type JsonObject,
} from '@scia/runtime';
import { compose, type RenderCache, type TeamOwner } from './compose.js';
import { derive } from './derive.js';
import { readInputs } from './inputs.js';
import { isCloudProvider, renderCloudProvider } from './cloud-provider.js';
import { readTeamRef } from './team-ref.js';
import { report } from './report.js';

/** Deps are the renderer's adapters: a clock, for history timestamps, and optionally a cache of compositions by their inputs. */
export interface Deps {
  clock: Clock;
  /** renders, when given, re-uses the composition of inputs rendered before (see RenderCache); the response is the same byte for byte. */
  renders?: RenderCache;
}

/** TTL_SECONDS is how long Crossplane may cache a render; a wait for an earlier step is rechecked sooner. */
export const TTL_SECONDS = 60;
export const WAIT_TTL_SECONDS = 5;

/**
 * runFunction renders a CloudProvider's ProviderConfig and team status (see
 * renderCloudProvider), or a Deployment: the AWS managed resources of the XR's strategy (see
 * resolvePlan for how it is chosen), marks each ready when its observed Ready
 * condition is True, and reports phase, message and endpoints in the XR's
 * status, keeping what earlier steps set. A bad claim, context value or
 * observed resource is a Fatal result naming the field; nothing is rendered.
 */
export function runFunction(req: RunFunctionRequest, deps: Deps): Promise<RunFunctionResponse> {
  return Promise.resolve(render(req, deps));
}

function render(req: RunFunctionRequest, deps: Deps): RunFunctionResponse {
  const rsp = respond(req, TTL_SECONDS);
  if (isCloudProvider(req)) return renderCloudProvider(req, rsp, { steady: TTL_SECONDS, wait: WAIT_TTL_SECONDS });
  const inputs = readInputs(req, deps.renders?.reads);
  if (!inputs.ok) return inputs.error.claim ? refuse(rsp, inputs.error.message) : hold(rsp, req, inputs.error.message);
  for (const w of inputs.value.warnings) warning(rsp, w, { reason: 'ObservedUnreadable', claim: true });
  const team = readTeamRef(req, rsp, inputs.value.spec, inputs.value.target, inputs.value.scope);
  if (!team.ok) return refuse(rsp, team.error);
  // Crossplane answers the requirement and calls again at once.
  if (team.value.kind === 'pending') return setTtl(rsp, WAIT_TTL_SECONDS);
  if (team.value.kind === 'unready') return hold(rsp, req, team.value.why);
  const owner: TeamOwner = team.value;
  const renders = deps.renders;
  const id = `${inputs.value.target.namespace}/${inputs.value.target.name}`;
  const result = renders === undefined ? derive(inputs.value, owner, compose) : renders.derived.derive(id, inputs.value, owner, (ctx, t) => renders.compose(ctx, t));
  if (result.kind === 'refuse') return refuse(rsp, result.error);
  if (result.kind === 'wait') {
    return normal(respond(req, WAIT_TTL_SECONDS), `waiting for the ${result.phase} step before rendering`, { reason: 'Waiting', claim: true });
  }
  const { warnings: defaulted, composition, ready, state, services } = result.derived;
  for (const w of defaulted) warning(rsp, w, { reason: 'Defaulted', claim: true });
  for (const w of composition.warnings) warning(rsp, w, { reason: 'Incomplete', claim: true });
  composition.resources.forEach((r, i) => setDesiredResource(rsp, r.key, composition.bodies[i] as JsonObject, ready[i]));
  const reported = { ...inputs.value, state, ...(services === undefined ? {} : { services }) };
  report(rsp, reported, deps.clock, renders === undefined ? undefined : { xr: id, reports: renders.reports });
  return rsp;
}

/**
 * hold answers when an earlier step handed over what this step cannot read:
 * what is deployed is kept as observed (nothing recomputable is dropped), with
 * a Warning and a short TTL to try again.
 */
function hold(rsp: RunFunctionResponse, req: RunFunctionRequest, error: string): RunFunctionResponse {
  keepObserved(req, rsp);
  warning(rsp, `cannot render AWS resources, keeping what is deployed: ${error}`, { reason: 'InputUnreadable', claim: true });
  return setTtl(rsp, WAIT_TTL_SECONDS);
}

function refuse(rsp: RunFunctionResponse, error: string): RunFunctionResponse {
  return fatal(rsp, `cannot render AWS resources: ${error}`, { reason: 'InvalidInput' });
}
