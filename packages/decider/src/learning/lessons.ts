import type { Cause, CitedCase, DeploymentConfig, FailedAttempt, SimilarCase, Strategy } from '@scia/api';
import { INSTANCE_TYPES, LAMBDA_MEMORY_STEPS, isInstanceType, type InstanceType } from '../catalogue.js';
import { PRICING } from '../pricing.js';

/** SAME_APP is the traits similarity from which a case speaks for this app's own needs (memory, GPU, strategy). */
export const SAME_APP = 0.9;
/** SAME_INTENT is the intent similarity from which a case's intent-bound lesson (cold starts, speed, cost) applies. */
export const SAME_INTENT = 0.5;
/**
 * USABLE_SHARE is the share of a machine's memory an app can count on: the
 * rest goes to the OS on a VM, and to system pods and a neighbour on a
 * Kubernetes node; a Lambda's memory is all the function's.
 */
export const USABLE_SHARE: Readonly<Record<Strategy, number>> = { vm: 0.8, kubernetes: 0.5, serverless: 1 };

const APP_BOUND: readonly Cause[] = ['out-of-memory', 'needs-gpu', 'wrong-strategy'];

/** Lessons are what this deployment's failures and similar apps' negatives teach. */
export interface Lessons {
  /** avoid names strategies to stay off, with why. */
  avoid: Partial<Record<Strategy, string[]>>;
  /** needMemoryMb: the app has run out of memory with this much usable memory; 0 when unknown. */
  needMemoryMb: number;
  gpu: boolean;
  /** cheaper: a similar config was too expensive for a similar request. */
  cheaper: boolean;
  /** failedConfigs are configurations that failed for this app, never to be chosen again. */
  failedConfigs: { strategy: Strategy; config: DeploymentConfig }[];
  cited: CitedCase[];
}

export const NO_LESSONS: Lessons = { avoid: {}, needMemoryMb: 0, gpu: false, cheaper: false, failedConfigs: [], cited: [] };

/** usableMb is the memory an app gets from `config` on `strategy` (0 when its size is unknown). */
export function usableMb(strategy: Strategy, config: DeploymentConfig): number {
  if (strategy === 'serverless') return config.memoryMb ?? 512;
  const type = strategy === 'vm' ? config.instanceType : config.nodeInstanceType;
  return type !== undefined && isInstanceType(type) ? INSTANCE_TYPES[type].memoryGib * 1024 * USABLE_SHARE[strategy] : 0;
}

interface Source {
  id: string;
  strategy: Strategy;
  config: DeploymentConfig;
  causes: readonly Cause[];
  intentBound: boolean;
}

/**
 * learnLessons reads the deployment's own failed attempts (all apply) and the
 * negatives among retrieved cases: a case failed or thumbed down, of an app
 * whose traits score at least SAME_APP, teaches its app-bound causes (out of
 * memory, GPU, wrong strategy); its intent-bound causes (cold starts, too
 * slow, too expensive) also need an intent at least SAME_INTENT alike.
 */
export function learnLessons(failures: readonly FailedAttempt[], cases: readonly SimilarCase[]): Lessons {
  const sources: Source[] = failures.map((f, i) => ({ id: `attempt ${i + 1}`, strategy: f.strategy, config: f.config, causes: f.causes, intentBound: true }));
  const cited: CitedCase[] = [];
  for (const c of cases) {
    const negative = c.outcome !== 'success' || c.feedback < 0;
    if (!negative || c.similarity < SAME_APP) continue;
    const sameIntent = c.scoreParts.intent >= SAME_INTENT;
    const causes = c.causes.filter((x) => sameIntent || APP_BOUND.includes(x));
    if (causes.length === 0) continue;
    sources.push({ id: c.id, strategy: c.strategy, config: c.config, causes, intentBound: sameIntent });
    cited.push({ id: c.id, usedFor: 'avoid', traits: c.similarity, intent: c.scoreParts.intent, outcome: c.outcome, feedback: c.feedback, causes: c.causes });
  }
  const lessons: Lessons = { avoid: {}, needMemoryMb: 0, gpu: false, cheaper: false, failedConfigs: [], cited };
  for (const s of sources) apply(lessons, s);
  // A size that failed for want of capacity (or for no known reason) is never chosen again; one too expensive may be.
  lessons.failedConfigs = failures
    .filter((f) => f.causes.length === 0 || f.causes.some((c) => c === 'out-of-memory' || c === 'too-slow'))
    .map((f) => ({ strategy: f.strategy, config: f.config }));
  return lessons;
}

function avoid(l: Lessons, strategy: Strategy, why: string): void {
  l.avoid[strategy] = [...(l.avoid[strategy] ?? []), why];
}

function apply(l: Lessons, s: Source): void {
  for (const cause of s.causes) {
    const why = `${s.id}: ${cause} on ${s.strategy}`;
    if (cause === 'out-of-memory') {
      l.needMemoryMb = Math.max(l.needMemoryMb, usableMb(s.strategy, s.config));
      if (s.strategy === 'serverless' && (s.config.memoryMb ?? 0) >= 10240) avoid(l, 'serverless', why);
    } else if (cause === 'needs-gpu') {
      l.gpu = true;
      avoid(l, 'serverless', why);
    } else if (cause === 'wrong-strategy' || cause === 'cold-start') {
      avoid(l, s.strategy, why);
    } else if (cause === 'too-slow') {
      if (s.strategy === 'serverless') avoid(l, 'serverless', why);
      else l.needMemoryMb = Math.max(l.needMemoryMb, usableMb(s.strategy, s.config));
    } else if (cause === 'too-expensive') {
      l.cheaper = true;
    }
  }
}

/** ladder lists the instance types a strategy steps through, cheapest first; GPU types only when `gpu`. */
function ladder(gpu: boolean): InstanceType[] {
  const types = (Object.keys(INSTANCE_TYPES) as InstanceType[]).filter((t) => (INSTANCE_TYPES[t].gpus > 0) === gpu);
  return types.sort((a, b) => PRICING.ec2HourlyUsEast1[a] - PRICING.ec2HourlyUsEast1[b]);
}

/**
 * meetLessons raises a configuration to what the lessons require: a GPU type
 * when the app needs one, twice the usable memory the app ran out with (the
 * cheapest type that gives it), and never a configuration that already failed
 * for this app (it steps one size up instead). It never lowers a size.
 */
export function meetLessons(strategy: Strategy, config: DeploymentConfig, l: Lessons): { config: DeploymentConfig; notes: string[] } {
  const notes: string[] = [];
  let out = config;
  if (l.needMemoryMb === 0 && !l.gpu && l.failedConfigs.length === 0) return { config, notes };
  if (strategy === 'serverless') {
    let memoryMb = config.memoryMb ?? 512;
    const failed = l.failedConfigs.filter((f) => f.strategy === 'serverless').map((f) => f.config.memoryMb ?? 0);
    const need = Math.max(l.needMemoryMb, ...failed.filter((m) => m >= memoryMb));
    // Twice what ran out, as on a VM: a step of a few hundred MB rarely covers a working set that outgrew its size.
    if (need > 0 && memoryMb < 2 * need) memoryMb = LAMBDA_MEMORY_STEPS.find((m) => m >= 2 * need) ?? LAMBDA_MEMORY_STEPS[LAMBDA_MEMORY_STEPS.length - 1] ?? memoryMb;
    if (memoryMb !== config.memoryMb) notes.push(`${memoryMb} MB: twice the ${Math.round(need)} MB it ran out of`);
    out = { ...config, memoryMb };
    return { config: out, notes };
  }
  const key = strategy === 'vm' ? 'instanceType' : 'nodeInstanceType';
  const current = config[key];
  const have = current !== undefined && isInstanceType(current) ? current : undefined;
  const gpu = l.gpu || (have !== undefined && INSTANCE_TYPES[have].gpus > 0);
  const failedHere = l.failedConfigs.filter((f) => f.strategy === strategy).map((f) => usableMb(strategy, f.config));
  const mine = usableMb(strategy, config);
  const need = Math.max(l.needMemoryMb, ...failedHere.filter((m) => m >= mine));
  // Twice the memory it ran out with, as for a Lambda: one size up rarely covers a working set that outgrew its size.
  const enough = (mb: number): boolean => (need === 0 ? mb > 0 : mb >= 2 * need);
  const fits = (t: InstanceType): boolean => enough(usableMb(strategy, { [key]: t })) && usableMb(strategy, { [key]: t }) >= mine;
  if (have !== undefined && (gpu === INSTANCE_TYPES[have].gpus > 0) && enough(usableMb(strategy, config))) return { config, notes };
  const pick = ladder(gpu).find(fits);
  if (pick === undefined || pick === current) return { config, notes };
  notes.push(gpu && !(have !== undefined && INSTANCE_TYPES[have].gpus > 0) ? `${pick}: the app needs a GPU` : `${pick}: twice the ${Math.round(need)} MB it ran out of`);
  out = { ...config, [key]: pick };
  return { config: out, notes };
}
