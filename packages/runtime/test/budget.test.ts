import { describe, expect, it } from 'vitest';
import { Jobs } from '@scia/function-analyze';

describe('Jobs', () => {
  it('hands a result that outlived its caller to the next caller, once', async () => {
    const jobs = new Jobs();
    let runs = 0;
    let finish: (n: number) => void = () => undefined;
    const slow = (): Promise<number> => {
      runs++;
      return new Promise((resolve) => (finish = resolve));
    };
    const first = await jobs.attempt('k', slow, 0);
    const joined = await jobs.attempt('k', slow, 0);
    finish(42);
    await jobs.idle();
    const picked = await jobs.attempt('k', slow, 0);
    const rerun = await jobs.attempt('k', () => (runs++, Promise.resolve(43)), 60_000);
    expect({ first, joined, picked, rerun, runs }).toEqual({ first: { done: false }, joined: { done: false }, picked: { done: true, value: 42 }, rerun: { done: true, value: 43 }, runs: 2 });
  });

  it('keeps no result of a job that throws, and leaves no rejection unhandled', async () => {
    const jobs = new Jobs();
    let fail: (err: Error) => void = () => undefined;
    const boom = (): Promise<number> => new Promise((_resolve, reject) => (fail = reject));
    const failing = jobs.attempt('k', boom, 60_000).then(() => 'resolved', (err: Error) => err.message);
    fail(new Error('bug'));
    const waited = await failing;
    const late = await jobs.attempt('j', boom, 0);
    fail(new Error('bug'));
    await jobs.idle();
    const retried = await jobs.attempt('j', () => Promise.resolve(7), 1000);
    expect({ waited, late, retried, pending: jobs.pending('j') }).toEqual({ waited: 'bug', late: { done: false }, retried: { done: true, value: 7 }, pending: false });
  });

  it('shares one running job between joiners, and keeps no result after it', async () => {
    const jobs = new Jobs();
    let runs = 0;
    const job = async (): Promise<string> => {
      runs++;
      await Promise.resolve();
      return 'tree';
    };
    const results = await Promise.all([jobs.join('c', job), jobs.join('c', job)]);
    const sharedRuns = runs;
    await jobs.join('c', job);
    expect({ results, sharedRuns, runs }).toEqual({ results: ['tree', 'tree'], sharedRuns: 1, runs: 2 });
  });
});
