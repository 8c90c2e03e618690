import type { DeploymentRecord } from './records.js';
import { DIMENSIONS, normalize } from './vector.js';
import type { PreparedRow } from './write.js';

/** Spread is how synthetic rows spread over frameworks and tenants (10% of rows are shared, 5% thumbed down). */
export interface Spread {
  frameworks: number;
  tenants: number;
}

export const CLUSTERS = 64;
export const SHARED = 0.1;
export const NEGATIVE = 0.05;
/** LANGUAGE is every synthetic row's language: the broad filter keeps the tenant's scope of it. */
export const LANGUAGE = 'python';

/** prng is mulberry32: a seeded generator, so every run loads the same data and asks the same queries. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussianUnit(random: () => number, around: readonly number[], spread = 1): number[] {
  const v = new Array<number>(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    v[i] = (around[i] ?? 0) + spread * g;
  }
  return normalize(v);
}

/** centers are the data's cluster centers. */
export function centers(random: () => number): number[][] {
  return Array.from({ length: CLUSTERS }, () => gaussianUnit(random, []));
}

/** near is a data point: a unit vector close to one of the centers. */
export function near(cs: readonly number[][], random: () => number): number[] {
  const c = cs[Math.floor(random() * cs.length)] ?? [];
  return gaussianUnit(random, c.map((x) => x * 20), 1);
}

/**
 * between is a query vector drawn from none of the data's clusters: a point
 * midway between two of them, as far from its mean as a data point is from
 * its center (the data's noise on a mean of the same length), so its nearest
 * rows straddle two clusters instead of sitting in one's core (what an app
 * unlike the past ones asks).
 */
export function between(cs: readonly number[][], random: () => number): number[] {
  const a = cs[Math.floor(random() * cs.length)] ?? [];
  const b = cs[Math.floor(random() * cs.length)] ?? [];
  return gaussianUnit(random, normalize(a.map((x, i) => x + (b[i] ?? 0))).map((x) => x * 20), 1);
}

/** syntheticRow is row `i`: a tenant by turn, a random framework, 10% shared, 5% thumbed down. */
export function syntheticRow(i: number, cs: readonly number[][], random: () => number, at: Date, spread: Spread): PreparedRow {
  const record: DeploymentRecord = {
    xrUid: `bench-${i}`, decisionHash: 'bench', name: `app-${i}`, namespace: `tenant-${i % spread.tenants}`, shared: random() < SHARED,
    app: { language: LANGUAGE, framework: `fw-${Math.floor(random() * spread.frameworks)}`, services: [], dependencies: [], prompt: '' },
    strategy: 'vm', config: {}, outcome: 'success', costMonthly: Math.round(random() * 300), performanceMetrics: {},
    feedback: random() < NEGATIVE ? -1 : 0, causes: [], metadata: {},
  };
  return { record, summary: '', embedding: near(cs, random), embedder: 'bench', at };
}

/** keptShare is the share of rows a filter keeps: the tenant's scope (own or shared), not thumbed down, and the framework when given. */
export function keptShare(s: Spread, framework: boolean): number {
  return (framework ? 1 / s.frameworks : 1) * (1 / s.tenants + SHARED * (1 - 1 / s.tenants)) * (1 - NEGATIVE);
}
