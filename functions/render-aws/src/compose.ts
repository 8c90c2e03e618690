import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { canonicalJson, parseAt, type Result } from '@scia/api';
import { freezeJson, type JsonObject } from '@scia/runtime';
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
 * readiness: see RenderContext; team), and validated inputs per schema by their JSON text, so that a steady reconcile, whose
 * inputs do not change, neither validates nor renders them again. It holds
 * about `maxBytes` of compositions and as much again of validated inputs: a
 * process reconciling more XRs than fit renders the oldest afresh.
 */
export class RenderCache {
  readonly #entries: LRUCache<string, Composition>;
  readonly #parsed = new Map<z.ZodType, LRUCache<string, Result<unknown>>>();

  constructor(readonly maxBytes = 24 * 1024 * 1024) {
    this.#entries = new LRUCache({ maxSize: Math.max(1, maxBytes), sizeCalculation: (c) => Math.max(1, c.bytes) });
  }

  /**
   * parse is parseAt(schema, value, root), re-using the result of the same
   * schema, root and JSON text. Results are shared by every such call, so
   * nothing may modify them.
   */
  readonly parse = <S extends z.ZodType>(schema: S, value: unknown, root: string): Result<z.infer<S>> => {
    let kept = this.#parsed.get(schema);
    if (kept === undefined) {
      // Each entry's key is the value's JSON text; its result holds about as much again.
      kept = new LRUCache({ maxSize: Math.max(1, Math.floor(this.maxBytes / 3)), sizeCalculation: (_, key) => Math.max(1, key.length * 4) });
      this.#parsed.set(schema, kept);
    }
    const text = jsonText(value);
    if (text === undefined) return parseAt(schema, value, root);
    const key = `${root}\n${text}`;
    const hit = kept.get(key) as Result<z.infer<S>> | undefined;
    if (hit !== undefined) return hit;
    const parsed = parseAt(schema, value, root);
    kept.set(key, parsed);
    return parsed;
  };

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

const NOT_PLAIN = new Error('not plain JSON');

/**
 * jsonText is `value`'s JSON text, keys sorted, when that text stands for it alone: only
 * null, booleans, strings, finite numbers, arrays and plain objects. Anything
 * else (undefined, NaN, a Date, a class instance) could share its text with
 * another value, so it gets no text and is validated afresh.
 */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, plainOnly);
  } catch {
    return undefined;
  }
}

function plainOnly(this: unknown, key: string, value: unknown): unknown {
  // The holder's own value, before any toJSON turned it into something plain.
  const raw = (this as Record<string, unknown>)[key];
  if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') return value;
  if (typeof raw === 'number' && Number.isFinite(raw)) return value;
  if (typeof raw === 'object' && Array.isArray(raw)) return value;
  if (typeof raw === 'object' && (Object.getPrototypeOf(raw) === Object.prototype || Object.getPrototypeOf(raw) === null)) return sorted(value as Record<string, unknown>);
  throw NOT_PLAIN;
}

/** sorted is `obj` with its keys in sorted order: Crossplane (Go) sends map entries in a random order, which must not make the same value a new key. */
function sorted(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out;
}
