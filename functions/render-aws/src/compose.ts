import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { canonicalJson, type Result } from '@scia/api';
import { freezeJson, type JsonObject } from '@scia/runtime';
import type { Composed, RenderContext } from './model.js';
import { RENDERERS } from './renderers.js';
import type { TeamRef } from './team-ref.js';
import { withTeam } from './team.js';
import { ReadMemo } from './read-memo.js';
import { DerivedMemo } from './derive.js';
import { ReportMemo } from './report.js';

/** TeamOwner is a TeamRef that names whose account the resources go to. */
export type TeamOwner = Extract<TeamRef, { kind: 'platform' } | { kind: 'team' }>;

/**
 * Composition is a strategy's rendering with the team applied: the composed
 * resources, each resource's body in canonical key order (the desired state
 * sent, byte-stable whatever order a renderer built it in), and the
 * renderer's warnings and held-back resources. It is shared by every call
 * with the same inputs, so its bodies are frozen (freezeJson): sent as they
 * are, encoded once.
 */
export interface Composition {
  resources: Composed[];
  bodies: JsonObject[];
  warnings: string[];
  waiting: string[];
  /** bytes is about how much memory the composition holds: three times its bodies' JSON text (the objects, and their encoded bytes once sent). */
  bytes: number;
}

/**
 * RenderCache keeps the most recently used compositions by a hash of exactly
 * what rendering reads (target, plan, the observed facts renderers copy, not
 * readiness: see RenderContext; team), and what each XR's last call read of
 * its request (see ReadMemo), so that a steady reconcile, whose inputs do not
 * change, neither decodes, validates nor renders them again. It holds about
 * `maxBytes` of compositions and as much again of what was read: a process
 * reconciling more XRs than fit renders the oldest afresh.
 */
export class RenderCache {
  readonly #entries: LRUCache<string, Composition>;
  /** reads keeps what each XR's last call read of its request (see ReadMemo). */
  readonly reads: ReadMemo;
  /** derived keeps what each XR's last call derived from what it read (see DerivedMemo). */
  readonly derived: DerivedMemo;
  /** reports keeps the status fields each XR's last call reported (see ReportMemo). */
  readonly reports: ReportMemo;

  constructor(readonly maxBytes = 24 * 1024 * 1024) {
    this.#entries = new LRUCache({ maxSize: Math.max(1, maxBytes), sizeCalculation: (c) => Math.max(1, c.bytes) });
    this.reads = new ReadMemo(maxBytes);
    this.derived = new DerivedMemo(maxBytes);
    this.reports = new ReportMemo(maxBytes);
  }

  /** size is how many compositions are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** compose returns the composition of `ctx` for `team`, rendered at most once per distinct input. */
  compose(ctx: RenderContext, team: TeamOwner): Result<Composition> {
    // JSON text in a stable build order: a key that differs only by key order costs a render, never a wrong hit.
    const key = createHash('sha256').update(JSON.stringify({ target: ctx.target, plan: ctx.plan, observed: ctx.observed, team })).digest('hex');
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
  const texts = resources.map((r) => canonicalJson(r.body));
  const bodies = texts.map((t) => freezeJson(JSON.parse(t) as JsonObject));
  const bytes = 3 * texts.reduce((sum, t) => sum + t.length, 0);
  return { ok: true, value: { resources, bodies, warnings: rendered.value.warnings, waiting: rendered.value.waiting, bytes } };
}
