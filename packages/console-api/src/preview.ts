/**
 * The console's one coupling to SCIA's functions: previewDeployment runs the
 * analyze, retrieve and decide steps in-process, as `scia decide` does, and
 * caseQuery is the retrieve step's search. Everything that depends on how the
 * functions are built lives in this file.
 */
import { RunFunctionRequest, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, Api, ContextKey, Decision, type DeploymentSpec } from '@scia/api';
import { limitsFromEnv } from '@scia/analyzer';
import type { CaseQueryInput, StoreHandle } from '@scia/rag';
import * as analyzeStep from '@scia/function-analyze';
import * as decideStep from '@scia/function-decide';
import * as retrieveStep from '@scia/function-retrieve';

/** PreviewResult is what the pipeline would conclude, and what it had to say on the way. */
export interface PreviewResult {
  decision?: Decision;
  analysis?: Analysis;
  warnings: string[];
  /** fatal is the reason the pipeline stopped, when it did. */
  fatal?: string;
}

/** Previewer runs the pipeline's first three steps on a spec; close releases its adapters. */
export interface Previewer {
  preview(spec: Record<string, unknown>, namespace: string): Promise<PreviewResult>;
  close(): Promise<void>;
}

/**
 * newPreviewer builds the three steps' adapters from `env` (as `scia decide`
 * does: SCIA_DATA_DIR, SCIA_DATABASE_URL, OLLAMA_HOST, ...), searching cases in
 * `store`. Local repository paths are refused unless `allowLocalRepos`: a
 * console must not read its own file system for whoever asks.
 */
export function newPreviewer(env: NodeJS.ProcessEnv, cwd: string, store: StoreHandle, allowLocalRepos: boolean): Previewer {
  const analyzeBudget = 2 * limitsFromEnv(env).timeoutMs + 5000;
  const modelBudget = Number(env['SCIA_OLLAMA_TIMEOUT_MS'] ?? 120_000) + 5000;
  const analyze = analyzeStep.depsFromEnv({ ...env, SCIA_ALLOW_LOCAL_REPOS: String(allowLocalRepos), SCIA_CALL_BUDGET_MS: String(analyzeBudget) }, cwd);
  const retrieve = { retriever: retrieveStep.retrieverOf(store), budgetMs: 60_000 };
  const decide = decideStep.adaptersFromEnv({ ...env, SCIA_CALL_BUDGET_MS: String(modelBudget) }, cwd);
  return {
    async preview(spec, namespace) {
      const xr = {
        apiVersion: Api.apiVersion, kind: Api.compositeKind,
        metadata: { name: 'scia-preview', labels: { 'crossplane.io/claim-namespace': namespace } }, spec,
      };
      let req = RunFunctionRequest.fromPartial({ meta: { tag: 'scia-preview' }, observed: { composite: { resource: xr } } });
      const warnings: string[] = [];
      for (const step of [(r: RunFunctionRequest) => analyzeStep.runFunction(r, analyze), (r: RunFunctionRequest) => retrieveStep.runFunction(r, retrieve), (r: RunFunctionRequest) => decideStep.runFunction(r, decide.deps)]) {
        const rsp = await step(req);
        const fatal = collect(rsp, warnings);
        if (fatal !== undefined) return { warnings, fatal };
        req = { ...req, desired: rsp.desired, context: rsp.context };
      }
      const decision = Decision.safeParse(req.context?.[ContextKey.decision]);
      const analysis = Analysis.safeParse(req.context?.[ContextKey.analysis]);
      return {
        warnings,
        ...(decision.success ? { decision: decision.data } : { fatal: 'the decide step returned no decision' }),
        ...(analysis.success ? { analysis: analysis.data } : {}),
      };
    },
    close: () => decide.close(),
  };
}

function collect(rsp: RunFunctionResponse, warnings: string[]): string | undefined {
  for (const r of rsp.results) {
    if (r.severity === Severity.SEVERITY_FATAL) return r.message;
    if (r.severity === Severity.SEVERITY_WARNING) warnings.push(`warning: ${r.message}`);
  }
  return undefined;
}

/** caseQuery is the search the retrieve step makes for a Deployment: its analysis and prompt, in its namespace's scope. */
export function caseQuery(spec: DeploymentSpec, analysis: Analysis | undefined, namespace: string, k: number): CaseQueryInput {
  return retrieveStep.buildQuery(spec, analysis, namespace, k);
}
