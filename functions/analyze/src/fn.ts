import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, ContextKey, Repository, parseAt } from '@scia/api';
import { checkRepoRef, locate, type LocationPolicy, type RepoRef, type RepoSource } from '@scia/analyzer';
import { FieldMemo, fatal, freezeJson, mergeDesiredStatus, observedComposite, respond, setContext, setTtl, warning, type Clock, type JsonObject, type SingleFlight } from '@scia/runtime/step';
import { credentialsKey, gitCredentials } from './credentials.js';
import { SteadyAnalyses } from './steady.js';

/** TTLs of the step's answers: steady state, while a fetch goes on in the background, and after a failed one. */
export const STEADY_TTL_SECONDS = 60;
export const PENDING_TTL_SECONDS = 5;
export const RETRY_TTL_SECONDS = 30;

/** AnalyzeDeps are the analyze step's adapters and settings. */
export interface AnalyzeDeps {
  repos: RepoSource;
  clock: Clock;
  /** jobs runs one resolve-and-fetch per repository and pin; one that outlives a call is picked up later. */
  jobs: SingleFlight;
  /** policy decides which URLs may be fetched (local paths, plain-http hosts). */
  policy: LocationPolicy;
  /** budgetMs is how long one call waits for a resolve and a fetch before answering Analyzing. */
  budgetMs: number;
  /** refTtlSeconds is how long a resolved ref stays pinned before it is resolved again (never for a full SHA). */
  refTtlSeconds: number;
  /** allowPlatformCredentials lets a claim that names no Secret clone with the platform's `git` credential. */
  allowPlatformCredentials: boolean;
  /** steady keeps the pins reused, for calls whose spec.repository and status.analysis are the same (none: each call reads them afresh). */
  steady?: SteadyAnalyses;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;

/**
 * runFunction analyses the XR's spec.repository and writes the Analysis to
 * context `scia.io/analysis` and status.analysis. The analysis is pinned by
 * commit: while the ref's TTL runs (or the ref is a full SHA) the pinned one is
 * reused with no network at all; after it, the ref is resolved again and the
 * repository fetched only if the commit changed. Work over the call budget
 * continues in the background while the step answers phase Analyzing.
 */
export async function runFunction(req: RunFunctionRequest, deps: AnalyzeDeps): Promise<RunFunctionResponse> {
  const rsp = respond(req, STEADY_TTL_SECONDS);
  const xr = observedComposite(req) ?? {};
  // Read before spec and status are: their bytes are compared with those of the pins reused before.
  const inputs = deps.steady === undefined ? undefined : SteadyAnalyses.inputs(xr);
  const kept = inputs === undefined ? undefined : deps.steady?.answer(inputs, deps.clock.now().getTime());
  if (kept !== undefined) return finish(rsp, kept);
  const spec = parseAt(Repository, (xr['spec'] as JsonObject | undefined)?.['repository'], 'spec.repository');
  if (!spec.ok) return invalid(rsp, spec.error);
  const checked = checkRepoRef(spec.value.ref, spec.value.path);
  if (!checked.ok) return invalid(rsp, `spec.repository.${checked.field}: ${checked.error}`);
  const where = locate(spec.value.url, deps.policy);
  if (!where.ok) return invalid(rsp, `spec.repository.url: ${where.error}`);
  const repo: RepoRef = {
    url: spec.value.url,
    ref: spec.value.ref,
    ...(spec.value.path === undefined ? {} : { path: spec.value.path }),
  };
  const credentials = gitCredentials(req, rsp, xr, spec.value.credentialsSecretRef, deps.allowPlatformCredentials);
  if (!credentials.ok) return invalid(rsp, credentials.error);
  const pinned = pinnedAnalysis(xr);
  const samePin = pinned !== undefined && pinned.url === repo.url && (pinned.ref ?? 'HEAD') === repo.ref && pinned.path === repo.path;
  // Crossplane answers the Secret requirement and calls again at once.
  if (credentials.value.kind === 'pending') return setTtl(rsp, PENDING_TTL_SECONDS);
  // A Secret not created yet is a fault the next attempt may mend, as a Git host that is down.
  if (credentials.value.kind === 'missing') return failed(rsp, `Secret ${credentials.value.secret} (spec.repository.credentialsSecretRef) does not exist`, samePin ? pinned : undefined);
  if (credentials.value.value !== undefined) repo.credentials = credentials.value.value;
  if (samePin) {
    const [from, until] = freshness(pinned, repo.ref, deps.refTtlSeconds);
    const now = deps.clock.now().getTime();
    if (now >= from && now < until) {
      // With no Secret named, credentials change nothing of this answer: it holds for these two fields while the pin is fresh.
      if (inputs !== undefined && spec.value.credentialsSecretRef === undefined) deps.steady?.keep(inputs, pinned, from, until);
      return finish(rsp, pinned);
    }
  }
  return analyzeNow(rsp, repo, samePin ? pinned : undefined, pinned, deps);
}

/** Refreshed is what a background refresh found: the pinned analysis still current, or a new one (`fetched`). */
type Refreshed = { ok: true; value: Analysis; fetched: boolean } | { ok: false; error: string };

/**
 * analyzeNow resolves the ref and, when it names another commit than the pin,
 * fetches and analyses it: one background job per repository, ref and pinned
 * commit, waited on for the call budget. Fetches of one commit are shared.
 */
async function analyzeNow(rsp: RunFunctionResponse, repo: RepoRef, same: Analysis | undefined, pinned: Analysis | undefined, deps: AnalyzeDeps): Promise<RunFunctionResponse> {
  const who = `${repo.url}#${repo.ref}:${repo.path ?? ''}@${credentialsKey(repo.credentials)}`;
  const refresh = async (): Promise<Refreshed> => {
    const resolved = await deps.repos.resolve(repo);
    if (!resolved.ok) return resolved;
    if (same !== undefined && resolved.value.commit === same.commit) return { ok: true, value: same, fetched: false };
    const analysed = await deps.jobs.run(`analyze ${who}@${resolved.value.commit}`, () => deps.repos.analyze(repo, resolved.value));
    return analysed.ok ? { ...analysed, fetched: true } : analysed;
  };
  const raced = await deps.jobs.attempt(`refresh ${who} from ${same?.commit ?? 'nothing'}`, refresh, deps.budgetMs);
  if (!raced.done) return pending(rsp, pinned);
  if (!raced.value.ok) return failed(rsp, raced.value.error, same);
  const analysis = { ...raced.value.value, resolvedAt: deps.clock.now().toISOString() };
  if (raced.value.fetched && analysis.framework === 'none') {
    warning(rsp, `analysis of ${repo.url} at ${analysis.commit.slice(0, 12)} found no recognisable framework (confidence ${analysis.confidence})`, { reason: 'LowConfidenceAnalysis', claim: true });
  }
  return finish(rsp, analysis);
}

/**
 * freshness is when a pinned analysis may be reused without resolving its ref
 * again, [from, until) in ms since the epoch (empty: never): always for the
 * full SHA it was analysed at, else for the ref's TTL from when it was resolved.
 */
function freshness(pinned: Analysis, ref: string, ttlSeconds: number): [number, number] {
  if (FULL_SHA.test(ref)) return pinned.commit === ref.toLowerCase() ? [-Infinity, Infinity] : NEVER;
  const resolved = pinned.resolvedAt === undefined ? Number.NaN : Date.parse(pinned.resolvedAt);
  return Number.isFinite(resolved) ? [resolved, resolved + ttlSeconds * 1000] : NEVER;
}

const NEVER: [number, number] = [0, 0];

/**
 * PINNED reads status.analysis once per content (FieldMemo): a steady call
 * finds the same pin every time, and passes it on frozen, so it is neither
 * copied nor encoded again.
 */
const PINNED = new FieldMemo((value: unknown): Analysis | undefined => {
  const parsed = Analysis.safeParse(value);
  return parsed.success ? (freezeJson(parsed.data) as Analysis) : undefined;
});

function pinnedAnalysis(xr: JsonObject): Analysis | undefined {
  return PINNED.at(xr, 'status', 'analysis');
}

function finish(rsp: RunFunctionResponse, analysis: Analysis): RunFunctionResponse {
  setContext(rsp, ContextKey.analysis, analysis);
  mergeDesiredStatus(rsp, { analysis });
  return rsp;
}

/** pending answers while work goes on: phase Analyzing, a short TTL, and the pinned analysis kept for later steps. */
function pending(rsp: RunFunctionResponse, pinned: Analysis | undefined): RunFunctionResponse {
  setTtl(rsp, PENDING_TTL_SECONDS);
  if (pinned !== undefined) finish(rsp, pinned);
  mergeDesiredStatus(rsp, { phase: 'Analyzing' });
  return rsp;
}

/**
 * failed keeps the analysis pinned for this repository with a Warning when
 * there is one; an analysis of the repository the claim named before is not
 * kept (status would describe code the claim no longer names). Without one, a Git host that is down, slow or refusing is
 * still a fault the next attempt may mend (a host back up, a branch pushed, a
 * credential added): a Warning, phase Analyzing and a retry, never a Fatal.
 */
function failed(rsp: RunFunctionResponse, error: string, same: Analysis | undefined): RunFunctionResponse {
  if (same !== undefined) {
    warning(rsp, `cannot refresh the analysis, keeping commit ${same.commit.slice(0, 12)}: ${error}`, { reason: 'AnalysisStale', claim: true });
    return finish(rsp, same);
  }
  warning(rsp, `cannot analyze repository, retrying in ${RETRY_TTL_SECONDS} s: ${error}`, { reason: 'RepositoryUnavailable', claim: true });
  setTtl(rsp, RETRY_TTL_SECONDS);
  mergeDesiredStatus(rsp, { phase: 'Analyzing' });
  return rsp;
}

/** invalid stops the pipeline on a repository the claim names wrongly. */
function invalid(rsp: RunFunctionResponse, why: string): RunFunctionResponse {
  return fatal(rsp, `cannot analyze repository: ${why}`, { reason: 'InvalidRepository' });
}
