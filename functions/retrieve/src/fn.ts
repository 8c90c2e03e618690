import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { ContextKey, type Result, type Similar } from '@scia/api';
import { resolvedOnce } from '@scia/decider';
import type { CaseQueryInput, SearchResult } from '@scia/rag';
import { desiredStatus, fatal, observedComposite, requireRegion, respond, setContext, warning, withinResult } from '@scia/runtime/step';
import { pinnedBy } from './pin.js';
import { identityOf, readAnalysis, readClaim, statusReads } from './steady.js';
import { buildQuery, queryHash, widen } from './query.js';

/** TTL_SECONDS is the steady-state TTL: retrieval never holds a reconcile back. */
export const TTL_SECONDS = 60;
/** DEFAULT_K is how many cases go to the decide step. */
export const DEFAULT_K = 8;

/** Retriever finds past deployments like a query (the real one is @scia/rag's store). */
export interface Retriever {
  search(query: CaseQueryInput): Promise<Result<SearchResult>>;
}

export interface RetrieveDeps {
  retriever: Retriever;
  /** budgetMs is how long one call waits for the store before going on without cases. */
  budgetMs: number;
  k?: number;
}

/**
 * runFunction is the retrieve step: it finds the past deployments most like
 * this claim (from context `scia.io/analysis` and the spec) and writes them,
 * ranked and with their score parts, to context `scia.io/similar`. It does no
 * work while the analysis is pending or the decision is pinned for the same
 * inputs. A store that fails or answers too slowly is a Warning and an empty
 * list: retrieval never stops the pipeline.
 */
export async function runFunction(req: RunFunctionRequest, deps: RetrieveDeps): Promise<RunFunctionResponse> {
  const rsp = respond(req, TTL_SECONDS);
  const xr = observedComposite(req) ?? {};
  // Where the memos look first for what this XR's last call read.
  const { slot, tenant } = identityOf(xr);
  const claim = readClaim(xr, slot);
  if (!claim.ok) return fatal(rsp, `cannot read the claim: ${claim.error}`, { reason: 'InvalidClaim' });
  const resolved = requireRegion(req, rsp, xr, claim.value);
  if (!resolved.ok) return fatal(rsp, `cannot read the claim: ${resolved.error}`, { reason: 'InvalidClaim' });
  // Crossplane answers the requirement and calls again at once.
  if (resolved.value.state === 'pending') return rsp;
  const spec = resolvedOnce(claim.value, resolved.value.value);
  if (!tenant.ok) return fatal(rsp, `cannot read the claim: ${tenant.error}`, { reason: 'InvalidClaim' });
  const analysis = readAnalysis(req, rsp, slot);
  if (analysis === undefined && desiredStatus(rsp)['phase'] === 'Analyzing') return rsp;
  if (pinnedBy(statusReads(xr, slot), spec, analysis)) return rsp;
  const query = buildQuery(spec, analysis, tenant.value, deps.k ?? DEFAULT_K);
  const hash = queryHash(query);
  const found = await withinResult(searchWidening(deps.retriever, query), deps.budgetMs, 'the store');
  if (!found.ok) {
    warning(rsp, `cannot retrieve similar deployments: ${found.error}`, { reason: 'RetrievalDegraded', claim: true });
    return withCases(rsp, { embedder: 'none', queryHash: hash, cases: [], unavailable: found.error });
  }
  for (const w of found.value.warnings) warning(rsp, w, { reason: 'RetrievalDegraded', claim: true });
  return withCases(rsp, { embedder: found.value.embedder, queryHash: hash, cases: found.value.cases });
}

function withCases(rsp: RunFunctionResponse, similar: Similar): RunFunctionResponse {
  setContext(rsp, ContextKey.similar, similar);
  return rsp;
}

/**
 * searchWidening searches within the framework and, finding nothing, within
 * the language: one call, so the store embeds the app once for both.
 */
function searchWidening(retriever: Retriever, query: CaseQueryInput): Promise<Result<SearchResult>> {
  const wider = widen(query);
  return retriever.search(wider === undefined ? query : { ...query, widen: wider.filters });
}
