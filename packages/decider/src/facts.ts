import { keywordsOf, type Analysis, type DeploymentSpec, type FailedAttempt, type Keyword, type SimilarCase } from '@scia/api';
import { learnLessons, type Lessons } from './learning/lessons.js';

/** DecideInput is everything a decision is made from. */
export interface DecideInput {
  spec: DeploymentSpec;
  /** analysis is absent when no analyze step ran: decide from the spec alone. */
  analysis?: Analysis | undefined;
  /** cases are the retrieved past deployments, best first; empty without RAG. */
  cases: readonly SimilarCase[];
  /** failures are this deployment's own earlier decisions that failed, oldest first. */
  failures?: readonly FailedAttempt[] | undefined;
  inputHash: string;
}

/** Facts are the signals the rules and the sizing read, derived once from a DecideInput. */
export interface Facts {
  framework: string;
  language: string;
  dependencyCount: number;
  dependencies: ReadonlySet<string>;
  hasDockerfile: boolean;
  composeServices: number;
  services: readonly string[];
  kind: string;
  stateless: boolean | undefined;
  monorepoApps: number;
  repoBytes: number;
  websockets: boolean;
  longRunning: boolean;
  gpu: boolean;
  heavyMl: boolean;
  keywords: ReadonlySet<Keyword>;
  maxMonthlyCost: number | undefined;
  hasArtifact: boolean;
  hasAnalysis: boolean;
  port: number | undefined;
  cases: readonly SimilarCase[];
  /** lessons are what the deployment's failures and similar apps' negatives teach. */
  lessons: Lessons;
}

export { KEYWORDS, type Keyword } from '@scia/api';

const WEBSOCKET_DEPS = ['socket.io', 'ws', 'websockets', 'channels', 'django-channels', 'actioncable', 'phoenix_live_view', 'gorilla/websocket', 'python-socketio', 'uwebsockets.js'];
const LONG_RUNNING_DEPS = ['celery', 'rq', 'dramatiq', 'sidekiq', 'resque', 'bull', 'bullmq', 'agenda', 'node-cron', 'apscheduler', 'temporalio', 'kafkajs', 'kafka-python'];
const GPU_DEPS = ['tensorflow-gpu', 'onnxruntime-gpu', 'cupy', 'vllm', 'nvidia-cuda-runtime-cu12'];
const ML_DEPS = ['torch', 'tensorflow', 'transformers', 'jax', 'onnxruntime', 'diffusers', 'pytorch-lightning', '@tensorflow/tfjs-node'];

/** deriveFacts reads the signals of an input; every field has a defined value even without an analysis. */
export function deriveFacts(input: DecideInput): Facts {
  const a = input.analysis;
  const deps = new Set((a?.dependencies ?? []).filter((d) => !d.dev).map((d) => d.name.toLowerCase()));
  const hints = (a?.hints ?? []).map((h) => h.toLowerCase());
  const keywords = keywordsOf(input.spec.prompt);
  const hinted = (words: readonly string[]): boolean => hints.some((h) => words.some((w) => h.includes(w)));
  const anyDep = (names: readonly string[]): boolean => names.some((n) => deps.has(n));
  return {
    framework: (a?.framework ?? 'unknown').toLowerCase(),
    language: (a?.language ?? 'unknown').toLowerCase(),
    dependencyCount: a?.dependencyCount ?? deps.size,
    dependencies: deps,
    hasDockerfile: a?.dockerfile !== undefined,
    composeServices: a?.compose.length ?? 0,
    services: (a?.services ?? []).map((s) => s.kind),
    kind: a?.kind ?? 'unknown',
    stateless: a?.stateless,
    monorepoApps: a?.monorepo?.apps.length ?? 0,
    repoBytes: a?.size.bytes ?? 0,
    websockets: hinted(['websocket', 'socket.io', 'sse']) || anyDep(WEBSOCKET_DEPS),
    longRunning: hinted(['long-running', 'long running', 'background', 'worker', 'queue consumer', 'cron', 'scheduled']) || anyDep(LONG_RUNNING_DEPS) || keywords.has('batch'),
    gpu: hinted(['gpu', 'cuda']) || anyDep(GPU_DEPS) || keywords.has('gpu'),
    heavyMl: hinted(['heavy-ml']) || anyDep(ML_DEPS) || keywords.has('ml'),
    keywords,
    maxMonthlyCost: input.spec.budget?.maxMonthlyCost,
    hasArtifact: input.spec.artifact !== undefined,
    hasAnalysis: a !== undefined,
    port: a?.port,
    cases: input.cases,
    lessons: learnLessons(input.failures ?? [], input.cases),
  };
}
