import { LRUCache } from 'lru-cache';
import { Ready, type Ready as SdkReady } from '@crossplane-org/function-sdk-typescript';
import { resolveRegion, type Phase, type Result, type ServiceStatus } from '@scia/api';
import { freezeJson, type JsonObject } from '@scia/runtime';
import type { Composition, TeamOwner } from './compose.js';
import type { ClaimInputs, Inputs } from './inputs.js';
import type { Plan, RenderContext, StatusContext } from './model.js';
import { renderedFacts } from './observed.js';
import { resolvePlan } from './plan.js';
import { servicesStatus } from './services-status.js';
import { composedReady, deploymentState, type DeploymentState } from './status.js';

/**
 * Derived is what a render computes from its inputs alone, before it reports
 * anything: the plan and its warnings, the composition, each composed
 * resource's readiness, the deployment's state and, when the plan has
 * services, their status. The response adds the XR's history and what
 * earlier steps set (see report in fn.ts).
 */
export interface Derived {
  plan: Plan;
  warnings: string[];
  composition: Composition;
  ready: SdkReady[];
  state: DeploymentState;
  services?: ServiceStatus[];
}

/** DeriveResult: a Derived, a wait for an earlier step's phase, or why the claim cannot be rendered. */
export type DeriveResult = { kind: 'render'; derived: Derived } | { kind: 'wait'; phase: Phase } | { kind: 'refuse'; error: string };

/** Compose composes a RenderContext for a team: compose, or a RenderCache's. */
export type Compose = (ctx: RenderContext, team: TeamOwner) => Result<Composition>;

/** derive computes the Derived of `inputs` for `team`, composing with `composeWith`. */
export function derive(inputs: ClaimInputs, team: TeamOwner, composeWith: Compose): DeriveResult {
  // A claim's own spec.region wins over its CloudProvider's defaultRegion.
  const spec = resolveRegion(inputs.spec, team.kind === 'team' ? team.defaultRegion : undefined);
  if (!spec.ok) return { kind: 'refuse', error: spec.error };
  const resolved: Inputs = { ...inputs, spec: spec.value };
  const planned = resolvePlan(resolved);
  if (planned.kind === 'wait') return planned;
  const ctx: RenderContext = { target: inputs.target, plan: planned.plan, observed: renderedFacts(inputs.observed) };
  const composed = composeWith(ctx, team);
  if (!composed.ok) return { kind: 'refuse', error: composed.error };
  const { resources, waiting } = composed.value;
  const observed = inputs.observed;
  const ready = resources.map((r) => (composedReady(r, observed) ? Ready.READY_TRUE : Ready.READY_FALSE));
  // Frozen as freezeJson freezes: a Derived is sent on every steady call, and the encoder writes such objects' bytes once.
  const found = deploymentState(ctx.plan, resources, observed, waiting);
  const state = { ...found, endpoints: found.endpoints.map(frozen) };
  const status: StatusContext = { ...ctx, observed };
  const services = ctx.plan.services.length > 0 ? servicesStatus(status, resources).map(frozen) : undefined;
  return {
    kind: 'render',
    derived: { plan: ctx.plan, warnings: planned.warnings, composition: composed.value, ready, state, ...(services === undefined ? {} : { services }) },
  };
}

function frozen<T extends object>(value: T): T {
  return freezeJson(value as unknown as JsonObject) as unknown as T;
}

/**
 * DerivedMemo keeps, per XR, the last Derived beside the inputs it came from,
 * compared by identity: ReadMemo hands back the same objects for a request
 * part whose bytes are the same, so a steady reconcile derives nothing again.
 * Any other input (a new object, say, from a request decoded by the SDK)
 * derives afresh. What it keeps is shared by the calls that take it: nothing
 * may change it.
 */
export class DerivedMemo {
  readonly #kept: LRUCache<string, { from: Sources; derived: Derived }>;

  /** maxBytes bounds the compositions kept (see Composition.bytes), shared with the RenderCache's. */
  constructor(maxBytes: number) {
    this.#kept = new LRUCache({ maxSize: Math.max(1, maxBytes), sizeCalculation: (k) => Math.max(1, k.derived.composition.bytes) });
  }

  /** derive is derive(inputs, team, composeWith), re-using `xr`'s last Derived when its inputs are the same objects. */
  derive(xr: string, inputs: ClaimInputs, team: TeamOwner, composeWith: Compose): DeriveResult {
    const from = sourcesOf(inputs, team);
    const kept = this.#kept.get(xr);
    if (kept !== undefined && sameSources(kept.from, from)) return { kind: 'render', derived: kept.derived };
    const result = derive(inputs, team, composeWith);
    if (result.kind !== 'render') return result;
    this.#kept.set(xr, { from, derived: result.derived });
    return result;
  }
}

/** Sources are what derive reads: the validated inputs (by identity) and the target and team (by value). */
interface Sources {
  spec: object;
  decision: object | undefined;
  analysis: object | undefined;
  observed: object;
  pendingPhase: string | undefined;
  target: string;
  team: string;
}

function sourcesOf(inputs: ClaimInputs, team: TeamOwner): Sources {
  const t = inputs.target;
  return {
    spec: inputs.spec,
    decision: inputs.decision,
    analysis: inputs.analysis,
    observed: inputs.observed,
    pendingPhase: inputs.pendingPhase,
    target: `${t.name}\n${t.deployment}\n${t.namespace}\n${t.scope}`,
    team: JSON.stringify(team),
  };
}

function sameSources(a: Sources, b: Sources): boolean {
  return a.spec === b.spec && a.decision === b.decision && a.analysis === b.analysis && a.observed === b.observed && a.pendingPhase === b.pendingPhase && a.target === b.target && a.team === b.team;
}
