import type { DeploymentConfig, SimilarCase, Strategy } from '@scia/api';
import { INSTANCE_TYPES, isInstanceType, type InstanceType } from './catalogue.js';
import type { Facts } from './facts.js';
import { SAME_APP, meetLessons, usableMb } from './learning/lessons.js';
import { goodCases } from './rules/index.js';

/** Sized is a configuration with the notes that explain its sizes. */
export interface Sized {
  config: DeploymentConfig;
  notes: string[];
  /** sizedFrom names the cases whose sizes were followed. */
  sizedFrom?: string[];
}

const HEAVY_FRAMEWORKS = ['django', 'rails', 'ruby-on-rails', 'laravel', 'spring', 'spring-boot', 'symfony', 'phoenix', 'aspnet'];
const JVM = ['java', 'kotlin', 'scala', 'clojure'];

function heavy(f: Facts): boolean {
  return HEAVY_FRAMEWORKS.includes(f.framework) || JVM.includes(f.language) || f.dependencyCount > 100;
}

/**
 * sizeFor sizes `strategy` for an app: defaults by app weight and prompt
 * keywords (the app's own floor), then the size that successful cases of the
 * same app agree on when it is no smaller than that floor, then what the
 * lessons require (a GPU, more memory than the app ran out of, never a size
 * that already failed for it).
 */
export function sizeFor(strategy: Strategy, f: Facts): Sized {
  const base = strategy === 'vm' ? sizeVm(f) : strategy === 'kubernetes' ? sizeKubernetes(f) : sizeServerless(f);
  const good = goodCases(f.cases).filter((c) => c.strategy === strategy && c.similarity >= SAME_APP);
  const followed = followGood(strategy, base.config, good);
  const floorKept = usableMb(strategy, followed) >= floorMb(f) && gpuOf(strategy, followed) === gpuOf(strategy, base.config);
  const chosen = floorKept ? followed : base.config;
  const notes = chosen === base.config ? [] : [`sized as the successful cases of the same app that agree (${good.map((c) => c.id).join(', ')})`];
  const met = meetLessons(strategy, chosen, f.lessons);
  const config = f.port === undefined ? met.config : { ...met.config, port: f.port };
  return { config, notes: [...base.notes, ...notes, ...met.notes], sizedFrom: chosen === base.config ? [] : good.map((c) => c.id) };
}

/**
 * FLOOR_MB is the least usable memory an app's own analysis allows: heavy
 * machine-learning libraries 3 GB, a JVM or full-stack framework 1 GB,
 * anything else 512 MB. A GPU app also needs a GPU type (see gpuOf). Neither
 * cases nor a model nor a budget size an app below its floor.
 */
export const FLOOR_MB = { heavyMl: 3008, heavy: 1024, light: 512 } as const;

/** floorMb is the least usable memory the app's own analysis allows, and twice what it ran out with. */
export function floorMb(f: Facts): number {
  const own = f.heavyMl || f.gpu ? FLOOR_MB.heavyMl : heavy(f) ? FLOOR_MB.heavy : FLOOR_MB.light;
  return Math.max(own, 2 * f.lessons.needMemoryMb);
}

/** gpuOf tells whether a configuration runs on a GPU type. */
export function gpuOf(strategy: Strategy, config: DeploymentConfig): boolean {
  const type = strategy === 'vm' ? config.instanceType : strategy === 'kubernetes' ? config.nodeInstanceType : undefined;
  return type !== undefined && isInstanceType(type) && INSTANCE_TYPES[type].gpus > 0;
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

/** stepUpInstance is the next type of the same family with more memory, or `type` when it is the largest. */
export function stepUpInstance(type: InstanceType): InstanceType {
  const mine = INSTANCE_TYPES[type];
  const bigger = (Object.keys(INSTANCE_TYPES) as InstanceType[])
    .filter((t) => INSTANCE_TYPES[t].family === mine.family && INSTANCE_TYPES[t].memoryGib > mine.memoryGib)
    .sort((a, b) => INSTANCE_TYPES[a].memoryGib - INSTANCE_TYPES[b].memoryGib);
  return bigger[0] ?? type;
}

/** agreed is the value most cases share, when at least two do: one case alone does not resize an app. */
function agreed<T extends string | number>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best !== undefined && (counts.get(best) ?? 0) >= 2 ? best : undefined;
}
