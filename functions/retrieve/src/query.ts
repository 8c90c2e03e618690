import type { Analysis, ClaimSpec } from '@scia/api';
import { canonicalHash } from '@scia/api';
import type { CaseQueryInput } from '@scia/rag';

/** UNKNOWN_FRAMEWORKS are what the analyzer reports when it recognized no framework. */
const UNKNOWN_FRAMEWORKS = new Set(['', 'unknown', 'none']);

/**
 * buildQuery is the search for cases like this claim: its analysis (stack,
 * services, main dependencies), prompt, region and budget, in its tenant's
 * scope, filtered to the same framework when one is known and to cases within
 * the budget when one is set. Negative examples (failed, thumbed down) stay.
 */
export function buildQuery(spec: ClaimSpec, analysis: Analysis | undefined, tenant: string, k: number): CaseQueryInput {
  const framework = analysis?.framework ?? 'unknown';
  const budget = spec.budget?.maxMonthlyCost;
  return {
    app: {
      language: analysis?.language ?? 'unknown',
      framework,
      ...(analysis === undefined ? {} : { kind: analysis.kind }),
      services: (analysis?.services ?? []).map((s) => s.kind),
      dependencies: (analysis?.dependencies ?? []).filter((d) => !d.dev).map((d) => d.name).slice(0, 100),
      prompt: spec.prompt,
      ...(spec.region === undefined ? {} : { region: spec.region }),
      ...(budget === undefined ? {} : { budgetMonthly: budget }),
      ...(analysis === undefined ? {} : { dockerfile: analysis.dockerfile !== undefined }),
    },
    tenant,
    filters: {
      ...(UNKNOWN_FRAMEWORKS.has(framework) ? {} : { framework }),
      // A thumbs-down marks a negative example: it is retrieved, for what it teaches.
      nonNegativeFeedback: false,
      ...(budget === undefined ? {} : { maxCostMonthly: budget }),
    },
    k,
  };
}

/** widen drops the framework filter for a second try, keeping the language when known. */
export function widen(query: CaseQueryInput): CaseQueryInput | undefined {
  const { framework, ...rest } = query.filters ?? {};
  if (framework === undefined) return undefined;
  const language = query.app.language;
  return { ...query, filters: { ...rest, ...(language === 'unknown' ? {} : { language }) } };
}

/** queryHash identifies a query in context, so a reader can tell whether cases were found for the same question. */
export function queryHash(query: CaseQueryInput): string {
  return canonicalHash(query);
}
