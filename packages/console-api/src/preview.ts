/**
 * The console's one coupling to SCIA's functions: previewDeployment runs the
 * analyze, retrieve and decide steps in-process, as `scia decide` does, and
 * caseQuery is the retrieve step's search. Everything that depends on how the
 * functions are built lives in this file.
 */
import { RunFunctionRequest, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Analysis, Api, ContextKey, Decision, parseEnv, type ClaimSpec, type Env } from '@scia/api';
import { GitEnv } from '@scia/analyzer';
import type { CaseQueryInput } from '@scia/rag';
import { silentLogger, type BuiltFunction } from '@scia/runtime';
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

/** Previewer runs the pipeline's first three steps on a spec; close releases their adapters. */
export interface Previewer {
  preview(spec: Record<string, unknown>, namespace: string): Promise<PreviewResult>;
  close(): Promise<void>;
}

/**
 * newPreviewer builds the analyze, retrieve and decide steps from `env` as
 * `scia decide` does (SCIA_DATA_DIR, SCIA_DATABASE_URL, OLLAMA_HOST, ...), each
 * waiting for the whole of its work, once on first use, and keeps them until
 * close. Local repository paths are refused unless `allowLocalRepos`: a console
 * must not read its own file system for whoever asks.
 */
export function newPreviewer(env: Env, cwd: string, allowLocalRepos: boolean): Previewer {
  let steps: Promise<BuiltFunction[]> | undefined;
  const build = async (): Promise<BuiltFunction[]> => {
    const git = parseEnv(GitEnv, env);
    if (!git.ok) throw new Error(git.error);
    const model = parseEnv(decideStep.DecideEnv, env);
    if (!model.ok) throw new Error(model.error);
    const logger = silentLogger();
    return Promise.all([
      analyzeStep.definition.build({ env: { ...env, SCIA_ALLOW_LOCAL_REPOS: String(allowLocalRepos), SCIA_CALL_BUDGET_MS: String(2 * git.value.SCIA_GIT_TIMEOUT_MS + 5000) }, logger, cwd }),
      retrieveStep.definition.build({ env: { ...env, SCIA_CALL_BUDGET_MS: '60000' }, logger, cwd }),
      decideStep.definition.build({ env: { ...env, SCIA_CALL_BUDGET_MS: String(model.value.SCIA_OLLAMA_TIMEOUT_MS + 5000) }, logger, cwd }),
    ]);
  };
  return {
    async preview(spec, namespace) {
      let built: BuiltFunction[];
      try {
        built = await (steps ??= build());
      } catch (err) {
        steps = undefined;
        return { warnings: [], fatal: `cannot build the pipeline: ${err instanceof Error ? err.message : String(err)}` };
      }
      const xr = {
        apiVersion: Api.apiVersion, kind: Api.compositeKind,
        metadata: { name: 'scia-preview', labels: { 'crossplane.io/claim-namespace': namespace } }, spec,
      };
      let req = RunFunctionRequest.fromPartial({ meta: { tag: 'scia-preview' }, observed: { composite: { resource: xr } } });
      const warnings: string[] = [];
      for (const step of built) {
        const rsp = await step.run(req, silentLogger());
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
    async close() {
      const built = await steps?.catch(() => []);
      await Promise.all((built ?? []).map((b) => b.close()));
    },
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
export function caseQuery(spec: ClaimSpec, analysis: Analysis | undefined, namespace: string, k: number): CaseQueryInput {
  return retrieveStep.buildQuery(spec, analysis, namespace, k);
}
