import { DEPLOYMENTS } from './access.js';
import { apiError, parseId, type Ctx } from './context.js';
import type { CaseView } from './cases.js';
import { PAGE_SIZE } from './limits.js';
import type { View } from './view.js';

export interface ListArgs {
  namespace?: string | null;
  phase?: string | null;
  strategy?: string | null;
  first?: number | null;
  after?: string | null;
}

/** visibleNamespaces are the namespaces (among `wanted`, or all with Deployments) the caller may list Deployments in. */
export async function visibleNamespaces(ctx: Ctx, wanted: string | null | undefined): Promise<Set<string>> {
  const { access, cache } = ctx.deps;
  if (wanted !== null && wanted !== undefined) {
    if (!(await access.can(ctx.token, 'list', DEPLOYMENTS, wanted))) {
      throw apiError('FORBIDDEN', `cannot list deployments.scia.io in namespace ${JSON.stringify(wanted)}: forbidden by RBAC for user ${JSON.stringify(ctx.who.username)}`);
    }
    return new Set([wanted]);
  }
  return access.namespaces(ctx.token, 'list', DEPLOYMENTS, cache.namespaces());
}

/** readable is a Deployment the caller may get, or null when absent; FORBIDDEN when RBAC refuses. */
export async function readable(ctx: Ctx, id: string): Promise<View | null> {
  const { namespace, name } = parseId(id);
  if (!(await ctx.deps.access.can(ctx.token, 'get', DEPLOYMENTS, namespace))) {
    throw apiError('FORBIDDEN', `cannot get deployments.scia.io ${JSON.stringify(id)}: forbidden by RBAC for user ${JSON.stringify(ctx.who.username)}`);
  }
  return ctx.deps.cache.get(namespace, name) ?? null;
}

const cursors = new WeakMap<View, string>();

/** cursorOf encodes a Deployment's place in the list order (creation time, then id). */
function cursorOf(v: View): string {
  let c = cursors.get(v);
  if (c === undefined) {
    c = Buffer.from(JSON.stringify([v.createdAt ?? '', v.id])).toString('base64url');
    cursors.set(v, c);
  }
  return c;
}

function afterCursor(cursor: string): (v: View) => boolean {
  let at: unknown;
  try {
    at = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    at = undefined;
  }
  if (!Array.isArray(at) || typeof at[0] !== 'string' || typeof at[1] !== 'string') throw apiError('BAD_USER_INPUT', 'cannot read after: not a cursor from this API');
  const [t, id] = at as [string, string];
  // The list is newest first, then by id: what comes after is older, or as old with a greater id.
  return (v) => (v.createdAt ?? '') < t || ((v.createdAt ?? '') === t && v.id > id);
}

export const Query = {
  async deployments(_: unknown, args: ListArgs, ctx: Ctx) {
    const first = args.first ?? PAGE_SIZE.default;
    if (!Number.isInteger(first) || first < 1 || first > PAGE_SIZE.max) throw apiError('BAD_USER_INPUT', `first: must be between 1 and ${PAGE_SIZE.max}, got ${first}`);
    const namespaces = await visibleNamespaces(ctx, args.namespace);
    const keep = (v: View): boolean => namespaces.has(v.namespace) && (args.phase == null || v.phase === args.phase) && (args.strategy == null || v.strategy === args.strategy);
    const matching = ctx.deps.cache.all().filter(keep);
    const after = args.after == null ? undefined : afterCursor(args.after);
    const start = after === undefined ? 0 : matching.findIndex(after);
    const page = start < 0 ? [] : matching.slice(start, start + first);
    const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
    return {
      edges,
      totalCount: matching.length,
      pageInfo: { hasNextPage: start >= 0 && start + first < matching.length, endCursor: edges[edges.length - 1]?.cursor ?? null },
    };
  },

  deployment(_: unknown, args: { id: string }, ctx: Ctx) {
    return readable(ctx, args.id);
  },

  async costs(_: unknown, args: { groupBy: 'namespace' | 'strategy' | 'team'; namespace?: string | null }, ctx: Ctx) {
    const namespaces = await visibleNamespaces(ctx, args.namespace);
    const groups = new Map<string, { key: string; estimatedMonthly: number; budget: number | null; budgeted: number; count: number }>();
    for (const v of ctx.deps.cache.all()) {
      if (!namespaces.has(v.namespace)) continue;
      const key = args.groupBy === 'namespace' ? v.namespace : args.groupBy === 'team' ? v.team : v.strategy ?? 'undecided';
      const g = groups.get(key) ?? { key, estimatedMonthly: 0, budget: null, budgeted: 0, count: 0 };
      g.estimatedMonthly += v.estimatedMonthly ?? 0;
      g.count += 1;
      if (v.budget !== null) {
        g.budget = (g.budget ?? 0) + v.budget;
        g.budgeted += v.estimatedMonthly ?? 0;
      }
      groups.set(key, g);
    }
    return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map((g) => ({
      key: g.key, count: g.count, estimatedMonthly: round(g.estimatedMonthly), budget: g.budget,
      budgetUse: g.budget === null || g.budget === 0 ? null : round(g.budgeted / g.budget, 4),
    }));
  },

  async similarCases(_: unknown, args: { id: string; first?: number | null }, ctx: Ctx): Promise<CaseView[]> {
    const v = await readable(ctx, args.id);
    if (v === null) throw apiError('NOT_FOUND', `cannot find deployment ${JSON.stringify(args.id)}`);
    return similarOf(ctx, v, args.first);
  },

  async namespaces(_: unknown, _args: unknown, ctx: Ctx): Promise<string[]> {
    return [...(await visibleNamespaces(ctx, undefined))].sort();
  },
};

/** similarOf searches the store for cases like `v`, k (`first`) between 1 and 20, 5 by default. */
export async function similarOf(ctx: Ctx, v: View, first: number | null | undefined): Promise<CaseView[]> {
  const k = first ?? 5;
  if (!Number.isInteger(k) || k < 1 || k > 20) throw apiError('BAD_USER_INPUT', `first: must be between 1 and 20, got ${k}`);
  if (ctx.deps.cases === undefined) throw apiError('UNAVAILABLE', 'cannot search past deployments: the console runs without a deployments store');
  return ctx.deps.cases.similar(v, k);
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
