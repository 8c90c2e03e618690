import { GraphQLError, Kind, type ASTVisitor, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule, type ValueNode } from 'graphql';

/** PAGE_SIZE is the default and the cap of `first` on lists. */
export const PAGE_SIZE = { default: 50, max: 1000 } as const;

/**
 * FIELD_COST prices fields that call the API server or the store once per
 * parent: selecting them under a list multiplies their cost by the page size,
 * so a 1,000-item list cannot make 1,000 calls.
 */
export const FIELD_COST: Record<string, number> = {
  resources: 25,
  similarCases: 25,
  citedCases: 10,
  previewDeployment: 200,
};

/** LIST_FIELDS are the fields whose cost is multiplied by their `first` argument. */
const LIST_FIELDS = new Set(['deployments']);

/** depthLimit refuses operations nested deeper than `max` fields. */
export function depthLimit(max: number): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const depth = measure(node.selectionSet, fragments(ctx), (_f, inner) => 1 + inner, Math.max, 0);
      if (depth > max) ctx.reportError(new GraphQLError(`cannot run the query: depth ${depth} exceeds the limit of ${max}`, { extensions: { code: 'QUERY_TOO_DEEP' } }));
    },
  });
}

/**
 * operationCost estimates what an operation costs: each field 1, priced fields
 * (FIELD_COST) more, and a list's fields times its page size (`first`, read
 * from the variables when given as one).
 */
export function operationCost(doc: DocumentNode, variables: Record<string, unknown> | null | undefined): number {
  const frags = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const vars = variables ?? {};
  let total = 0;
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    total = Math.max(total, measure(def.selectionSet, frags, (f, inner) => {
      const own = FIELD_COST[f.name.value] ?? 1;
      const times = LIST_FIELDS.has(f.name.value) ? pageSize(f, vars) : 1;
      return own + times * inner;
    }, (a, b) => a + b, 0));
  }
  return total;
}

/** tooComplex is the error for an operation over the complexity limit. */
export function tooComplex(cost: number, max: number): GraphQLError {
  return new GraphQLError(`cannot run the query: complexity ${cost} exceeds the limit of ${max}`, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

function fragments(ctx: ValidationContext): Map<string, FragmentDefinitionNode> {
  return new Map(ctx.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
}

/** measure folds a selection set: `field` combines a field with its children's total, `join` combines siblings. */
function measure(set: SelectionSetNode | undefined, frags: Map<string, FragmentDefinitionNode>, field: (f: FieldNode, inner: number) => number,
  join: (a: number, b: number) => number, empty: number, seen = new Set<string>()): number {
  if (set === undefined) return empty;
  let total = empty;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      total = join(total, field(sel, measure(sel.selectionSet, frags, field, join, empty, seen)));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      total = join(total, measure(sel.selectionSet, frags, field, join, empty, seen));
    } else if (!seen.has(sel.name.value)) {
      const frag = frags.get(sel.name.value);
      total = join(total, measure(frag?.selectionSet, frags, field, join, empty, new Set([...seen, sel.name.value])));
    }
  }
  return total;
}

function pageSize(f: FieldNode, vars: Record<string, unknown>): number {
  const arg = f.arguments?.find((a) => a.name.value === 'first');
  const n = arg === undefined ? PAGE_SIZE.default : intOf(arg.value, vars);
  return Math.min(Math.max(n ?? PAGE_SIZE.max, 1), PAGE_SIZE.max);
}

function intOf(v: ValueNode, vars: Record<string, unknown>): number | undefined {
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const x = vars[v.name.value];
    return typeof x === 'number' ? x : undefined;
  }
  return undefined;
}

/**
 * RateLimiter is a token bucket per key (a token's hash): `burst` requests at
 * once, refilled at `perSecond`. Idle buckets are forgotten.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly now: () => number = Date.now) {}

  /** take spends one request for `key`, returning false when its bucket is empty. */
  take(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > 50_000) this.sweep(t);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private sweep(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k);
  }
}
