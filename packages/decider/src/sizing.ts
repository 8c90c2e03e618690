import type { DeploymentConfig, SimilarCase, Strategy } from '@scia/api';
import { INSTANCE_TYPES, LAMBDA_MEMORY_STEPS, LIMITS, isInstanceType, type InstanceType } from './catalogue.js';
import type { Facts } from './facts.js';
import { badCases, goodCases } from './rules/index.js';

/** Sized is a configuration with the notes that explain its sizes. */
export interface Sized {
  config: DeploymentConfig;
  notes: string[];
}

const HEAVY_FRAMEWORKS = ['django', 'rails', 'ruby-on-rails', 'laravel', 'spring', 'spring-boot', 'symfony', 'phoenix', 'aspnet'];
const JVM = ['java', 'kotlin', 'scala', 'clojure'];

function heavy(f: Facts): boolean {
  return HEAVY_FRAMEWORKS.includes(f.framework) || JVM.includes(f.language) || f.dependencyCount > 100;
}

/**
 * sizeFor sizes `strategy` for an app: defaults by app weight and prompt
 * keywords, then what similar cases teach (follow the sizes that worked, step
 * up from the sizes that ran out of memory or time).
 */
export function sizeFor(strategy: Strategy, f: Facts): Sized {
  const base = strategy === 'vm' ? sizeVm(f) : strategy === 'kubernetes' ? sizeKubernetes(f) : sizeServerless(f);
  const learned = learnFromCases(strategy, base, f.cases, f.framework);
  const config = f.port === undefined ? learned.config : { ...learned.config, port: f.port };
  return { config, notes: [...base.notes, ...learned.notes] };
}

function sizeVm(f: Facts): Sized {
  const notes: string[] = [];
  let instanceType: InstanceType = heavy(f) ? 't3.medium' : 't3.small';
  if (f.heavyMl) instanceType = 't3.large';
  if (f.gpu) instanceType = 'g4dn.xlarge';
  const ha = f.keywords.has('high-availability');
  const burst = f.keywords.has('spiky') || f.keywords.has('steady-high-traffic');
  if (ha) notes.push('2 instances minimum for high availability');
  return {
    config: {
      instanceType,
      volumeSizeGb: f.gpu ? 100 : 20,
      minSize: ha ? 2 : 1,
      maxSize: ha || burst ? 4 : 2,
      desiredCapacity: ha ? 2 : 1,
    },
    notes,
  };
}

function sizeKubernetes(f: Facts): Sized {
  const notes: string[] = [];
  const ha = f.keywords.has('high-availability');
  const nodeInstanceType: InstanceType = f.gpu ? 'g4dn.xlarge' : f.heavyMl ? 't3.xlarge' : heavy(f) ? 't3.large' : 't3.medium';
  if (ha) notes.push('3 nodes and 3 replicas for high availability');
  return {
    config: {
      nodeInstanceType,
      minNodes: ha ? 3 : 2,
      maxNodes: ha ? 6 : f.keywords.has('steady-high-traffic') ? 8 : 4,
      desiredNodes: ha ? 3 : 2,
      replicas: ha ? 3 : 2,
      volumeSizeGb: 20,
    },
    notes,
  };
}

function sizeServerless(f: Facts): Sized {
  const memoryMb = f.heavyMl ? 3008 : heavy(f) || f.dependencyCount > 50 ? 1024 : 512;
  return { config: { memoryMb, timeoutSeconds: 30 }, notes: [] };
}

function learnFromCases(strategy: Strategy, sized: Sized, cases: readonly SimilarCase[], framework: string): Sized {
  const good = goodCases(cases, framework).filter((c) => c.strategy === strategy);
  const bad = badCases(cases, framework).filter((c) => c.strategy === strategy);
  let config = followGood(strategy, sized.config, good);
  const notes = config === sized.config ? [] : [`sized as the similar successful cases that agree (${good.map((c) => c.id).join(', ')})`];
  for (const c of bad) {
    const next = avoidFailure(strategy, config, c);
    if (next !== config) notes.push(`stepped up from case ${c.id}'s ${c.failureReason ?? c.outcome}`);
    config = next;
  }
  return { config, notes };
}

function followGood(strategy: Strategy, config: DeploymentConfig, good: readonly SimilarCase[]): DeploymentConfig {
  if (good.length === 0) return config;
  if (strategy === 'serverless') {
    const memoryMb = agreed(good.flatMap((c) => (c.config.memoryMb === undefined ? [] : [c.config.memoryMb])));
    return memoryMb === undefined || memoryMb === config.memoryMb ? config : { ...config, memoryMb };
  }
  const key = strategy === 'vm' ? 'instanceType' : 'nodeInstanceType';
  const common = agreed(good.flatMap((c) => {
    const t = c.config[key];
    return t !== undefined && isInstanceType(t) ? [t] : [];
  }));
  return common === undefined || common === config[key] ? config : { ...config, [key]: common };
}

function avoidFailure(strategy: Strategy, config: DeploymentConfig, c: SimilarCase): DeploymentConfig {
  const why = (c.failureReason ?? '').toLowerCase();
  const oom = /out of memory|oom|memory/.test(why);
  const timeout = /time ?out|timed out|deadline/.test(why);
  if (strategy === 'serverless') {
    const memoryMb = oom && (c.config.memoryMb ?? 0) >= (config.memoryMb ?? 0) ? stepMemory(c.config.memoryMb ?? 0) : config.memoryMb;
    const failedTimeout = c.config.timeoutSeconds ?? 0;
    const timeoutSeconds = timeout && failedTimeout >= (config.timeoutSeconds ?? 0)
      ? Math.min(LIMITS.serverless.timeoutSeconds.max, Math.max(failedTimeout * 2, 60))
      : config.timeoutSeconds;
    return memoryMb === config.memoryMb && timeoutSeconds === config.timeoutSeconds ? config : { ...config, memoryMb, timeoutSeconds };
  }
  const key = strategy === 'vm' ? 'instanceType' : 'nodeInstanceType';
  const ours = config[key];
  if (!(oom || timeout) || ours === undefined || c.config[key] === undefined) return config;
  const failed = c.config[key];
  if (!isInstanceType(ours) || !isInstanceType(failed) || INSTANCE_TYPES[ours].memoryGib > INSTANCE_TYPES[failed].memoryGib) return config;
  return { ...config, [key]: stepUpInstance(failed) };
}

/** stepUpInstance is the next type of the same family with more memory, or `type` when it is the largest. */
export function stepUpInstance(type: InstanceType): InstanceType {
  const mine = INSTANCE_TYPES[type];
  const bigger = (Object.keys(INSTANCE_TYPES) as InstanceType[])
    .filter((t) => INSTANCE_TYPES[t].family === mine.family && INSTANCE_TYPES[t].memoryGib > mine.memoryGib)
    .sort((a, b) => INSTANCE_TYPES[a].memoryGib - INSTANCE_TYPES[b].memoryGib);
  return bigger[0] ?? type;
}

function stepMemory(failedMb: number): number {
  return LAMBDA_MEMORY_STEPS.find((m) => m > failedMb) ?? LIMITS.serverless.memoryMb.max;
}

/** agreed is the value most cases share, when at least two do: one case alone does not resize an app. */
function agreed<T extends string | number>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best !== undefined && (counts.get(best) ?? 0) >= 2 ? best : undefined;
}
