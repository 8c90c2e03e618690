import { GraphQLError, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { Unauthenticated } from './access.js';
import { apiError, type Ctx, type Deps } from './context.js';
import { tokenKey } from './kube.js';
import { depthLimit, operationCost, tooComplex, type RateLimiter } from './limits.js';

/** Limits bound what one caller may ask. */
export interface Limits {
  maxDepth: number;
  maxComplexity: number;
  /** ratePerSecond and burst bound operations per token. */
  ratePerSecond: number;
  burst: number;
  /** previews bounds previews running at once. */
  previews: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 10, maxComplexity: 50_000, ratePerSecond: 20, burst: 100, previews: 2 };

/** Params are a GraphQL request's parts, from HTTP or graphql-ws. */
export interface Params {
  query: string;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
}

/** Refusal is why an operation was not run: its HTTP status and errors. */
export interface Refusal {
  status: 400 | 401 | 429;
  errors: GraphQLError[];
}

/** bearer reads the token of an `Authorization: Bearer ...` value. */
export function bearer(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** authenticate makes a request's context, or refuses it: no token, a token the API server refuses, or too many requests. */
export async function authenticate(deps: Deps, limiter: RateLimiter, token: string | undefined): Promise<Ctx | Refusal> {
  if (token === undefined) {
    deps.metrics.rejected.inc({ reason: 'unauthenticated' });
    return { status: 401, errors: [apiError('UNAUTHENTICATED', 'cannot serve the request: it carries no bearer token (Authorization: Bearer ...)')] };
  }
  if (!limiter.take(tokenKey(token))) {
    deps.metrics.rejected.inc({ reason: 'rate_limited' });
    return { status: 429, errors: [apiError('RATE_LIMITED', 'cannot serve the request: too many requests for this token; slow down')] };
  }
  try {
    return { token, who: await deps.access.whoami(token), deps };
  } catch (err) {
    if (!(err instanceof Unauthenticated)) throw err;
    deps.metrics.rejected.inc({ reason: 'unauthenticated' });
    return { status: 401, errors: [apiError('UNAUTHENTICATED', 'cannot serve the request: the API server refused the token')] };
  }
}

/** prepare parses and validates an operation (depth and complexity included) into execution arguments. */
export function prepare(schema: GraphQLSchema, limits: Limits, params: Params, ctx: Ctx): (ExecutionArgs & { contextValue: Ctx }) | Refusal {
  let document: DocumentNode;
  try {
    document = parse(params.query);
  } catch (err) {
    return { status: 400, errors: [err instanceof GraphQLError ? err : new GraphQLError(String(err))] };
  }
  const errors = validate(schema, document, [...specifiedRules, depthLimit(limits.maxDepth)]);
  if (errors.length > 0) return { status: 400, errors: [...errors] };
  if (getOperationAST(document, params.operationName ?? undefined) === null) {
    return { status: 400, errors: [apiError('BAD_USER_INPUT', 'cannot choose the operation: name one with operationName')] };
  }
  const cost = operationCost(document, params.variables);
  if (cost > limits.maxComplexity) {
    ctx.deps.metrics.rejected.inc({ reason: 'too_complex' });
    return { status: 400, errors: [tooComplex(cost, limits.maxComplexity)] };
  }
  return { schema, document, contextValue: ctx, variableValues: params.variables ?? null, operationName: params.operationName ?? null };
}

/** isRefusal tells a Refusal from what it stands in for. */
export function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && 'status' in x && 'errors' in x;
}
