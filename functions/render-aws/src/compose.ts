import { LRUCache } from 'lru-cache';
import { canonicalHash, canonicalJson, type Result } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import type { Composed, RenderContext } from './model.js';
import { RENDERERS } from './renderers.js';
import type { TeamRef } from './team-ref.js';
import { withTeam } from './team.js';

/** TeamOwner is a TeamRef that names whose account the resources go to. */
export type TeamOwner = Extract<TeamRef, { kind: 'platform' } | { kind: 'team' }>;

/**
 * Composition is a strategy's rendering with the team applied: the composed
 * resources, each resource's body in canonical key order (the desired state
 * sent, byte-stable whatever order a renderer built it in), and the
 * renderer's warnings and held-back resources. It is shared by every call
 * with the same inputs, so nothing may modify it: setDesiredResource copies.
 */
export interface Composition {
  resources: Composed[];
  bodies: JsonObject[];
  warnings: string[];
  waiting: string[];
}

/**
 * RenderCache keeps the `max` most recently used compositions by a hash of
 * exactly what rendering reads (target, plan, observed facts, team), so that
 * a steady reconcile, whose inputs do not change, renders nothing again.
 */
export class RenderCache {
  readonly #entries: LRUCache<string, Composition>;

  constructor(readonly max = 512) {
    this.#entries = new LRUCache({ max: Math.max(1, max) });
  }

  /** size is how many compositions are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** compose returns the composition of `ctx` for `team`, rendered at most once per distinct input. */
  compose(ctx: RenderContext, team: TeamOwner): Result<Composition> {
    const key = canonicalHash({ target: ctx.target, plan: ctx.plan, observed: ctx.observed, team });
    const kept = this.#entries.get(key);
    if (kept !== undefined) return { ok: true, value: kept };
    const composed = compose(ctx, team);
    if (composed.ok) this.#entries.set(key, composed.value);
    return composed;
  }
}

/** compose renders `ctx` with its strategy's renderer and applies the team's ProviderConfig and tags, in one pass. */
export function compose(ctx: RenderContext, team: TeamOwner): Result<Composition> {
  const rendered = RENDERERS[ctx.plan.strategy](ctx);
  if (!rendered.ok) return rendered;
  const resources = team.kind === 'team' ? withTeam(rendered.value.resources, team.ref, team.tags) : rendered.value.resources;
  const bodies = resources.map((r) => JSON.parse(canonicalJson(r.body)) as JsonObject);
  return { ok: true, value: { resources, bodies, warnings: rendered.value.warnings, waiting: rendered.value.waiting } };
}
