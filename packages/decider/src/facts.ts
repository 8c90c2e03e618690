import type { Analysis, DeploymentSpec, SimilarCase } from '@scia/api';

/** DecideInput is everything a decision is made from. */
export interface DecideInput {
  spec: DeploymentSpec;
  /** analysis is absent when no analyze step ran: decide from the spec alone. */
  analysis?: Analysis | undefined;
  /** cases are the retrieved past deployments, best first; empty without RAG. */
  cases: readonly SimilarCase[];
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
}

export type Keyword = 'high-availability' | 'cheapest' | 'spiky' | 'steady-high-traffic' | 'low-latency' | 'gpu' | 'ml' | 'batch';

/** KEYWORDS maps each prompt keyword to the phrases that signal it (matched case-insensitively). */
export const KEYWORDS: Readonly<Record<Keyword, readonly RegExp[]>> = {
  'high-availability': [/\bhigh[- ]availability\b/, /\bhighly available\b/, /\bfault[- ]tolerant\b/, /\b(no|zero) downtime\b/, /\bredundan/, /\bmulti[- ]az\b/, /\bha\b/],
  cheapest: [/\bcheap/, /\blow[- ]cost\b/, /\bminimi[sz]e cost/, /\bbudget[- ]friendly\b/, /\bas little as possible\b/, /\bfrugal\b/],
  spiky: [/\bspiky\b/, /\bbursty\b/, /\bsporadic\b/, /\bintermittent\b/, /\bevent[- ]driven\b/, /\boccasional\b/, /\bscale to zero\b/, /\blow traffic\b/],
  'steady-high-traffic': [/\bhigh traffic\b/, /\bmillions of (users|requests)\b/, /\bheavy load\b/, /\bmicroservices?\b/, /\bautoscal/],
  'low-latency': [/\blow[- ]latency\b/, /\bno cold starts?\b/, /\breal[- ]time\b/],
  gpu: [/\bgpus?\b/, /\bcuda\b/],
  ml: [/\binference\b/, /\bmachine learning\b/, /\bml models?\b/, /\bllm\b/],
  batch: [/\bbatch\b/, /\blong[- ]running\b/, /\bcron\b/, /\bbackground jobs?\b/],
};

const WEBSOCKET_DEPS = ['socket.io', 'ws', 'websockets', 'channels', 'django-channels', 'actioncable', 'phoenix_live_view', 'gorilla/websocket', 'python-socketio', 'uwebsockets.js'];
const LONG_RUNNING_DEPS = ['celery', 'rq', 'dramatiq', 'sidekiq', 'resque', 'bull', 'bullmq', 'agenda', 'node-cron', 'apscheduler', 'temporalio', 'kafkajs', 'kafka-python'];
const GPU_DEPS = ['tensorflow-gpu', 'onnxruntime-gpu', 'cupy', 'vllm', 'nvidia-cuda-runtime-cu12'];
const ML_DEPS = ['torch', 'tensorflow', 'transformers', 'jax', 'onnxruntime', 'diffusers', 'pytorch-lightning', '@tensorflow/tfjs-node'];

/** deriveFacts reads the signals of an input; every field has a defined value even without an analysis. */
export function deriveFacts(input: DecideInput): Facts {
  const a = input.analysis;
  const deps = new Set((a?.dependencies ?? []).filter((d) => !d.dev).map((d) => d.name.toLowerCase()));
  const hints = (a?.hints ?? []).map((h) => h.toLowerCase());
  const prompt = input.spec.prompt.toLowerCase();
  const keywords = new Set<Keyword>();
  for (const [k, patterns] of Object.entries(KEYWORDS) as [Keyword, readonly RegExp[]][]) {
    if (patterns.some((p) => p.test(prompt))) keywords.add(k);
  }
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
  };
}
