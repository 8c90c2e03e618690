import type { z } from 'zod';
import { Analysis, DeploymentSpec, SimilarCase, type DeploymentSpecInput, type FailedAttempt } from '@scia/api';
import type { DecideInput } from '../src/index.js';

type AnalysisInput = Partial<z.input<typeof Analysis>>;

/** analysis builds a valid Analysis: a small Flask API unless told otherwise. */
export function analysis(over: AnalysisInput = {}): Analysis {
  return Analysis.parse({
    url: 'https://example.com/acme/app',
    commit: 'c0ffee0000000000000000000000000000000000',
    language: 'python',
    framework: 'flask',
    dependencyCount: 8,
    size: { files: 40, bytes: 120_000 },
    confidence: 0.9,
    ...over,
  });
}

/** spec builds a valid DeploymentSpec in us-east-1 with strategy auto and an image CI built (every strategy is buildable). */
export function spec(over: Partial<DeploymentSpecInput> = {}): DeploymentSpec {
  return DeploymentSpec.parse({ repository: { url: 'https://example.com/acme/app' }, region: 'us-east-1', artifact: { image: 'repo/app:1' }, ...over }) as DeploymentSpec;
}

/** similarCase builds a retrieved case. */
export function similarCase(over: Partial<z.input<typeof SimilarCase>> & { id: string }): SimilarCase {
  return SimilarCase.parse({
    name: over.id,
    framework: 'flask',
    language: 'python',
    strategy: 'vm',
    config: {},
    outcome: 'success',
    similarity: 0.9,
    score: 0.8,
    scoreParts: { similarity: 0.9, intent: 1, outcome: 1, feedback: 0.5, recency: 0.5, cost: 0.5 },
    ...over,
  });
}

/** input builds a DecideInput. */
export function input(over: { spec?: DeploymentSpec; analysis?: Analysis | undefined; cases?: SimilarCase[]; failures?: FailedAttempt[] } = {}): DecideInput {
  return {
    spec: over.spec ?? spec(),
    analysis: 'analysis' in over ? over.analysis : analysis(),
    cases: over.cases ?? [],
    ...(over.failures === undefined ? {} : { failures: over.failures }),
    inputHash: 'f'.repeat(64),
  };
}
