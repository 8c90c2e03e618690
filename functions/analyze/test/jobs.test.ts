import { describe, expect, it } from 'vitest';
import { Jobs } from '@scia/function-analyze';

describe('Jobs', () => {
  it('hands a result that outlived its caller to the next caller, once', async () => {
    const jobs = new Jobs();
    let runs = 0;
    const job = async (): Promise<number> => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 42;
    };
    const first = await jobs.attempt('k', job, 0);
    const joined = await jobs.attempt('k', job, 0);
    await jobs.idle();
    const picked = await jobs.attempt('k', job, 0);
    const rerun = await jobs.attempt('k', job, 1000);
    expect({ first, joined, picked, rerun, runs }).toEqual({ first: { done: false }, joined: { done: false }, picked: { done: true, value: 42 }, rerun: { done: true, value: 42 }, runs: 2 });
  });

  it('keeps no result of a job that throws, and leaves no rejection unhandled', async () => {
    const jobs = new Jobs();
    const boom = (): Promise<number> => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('bug')), 10));
    const waited = await jobs.attempt('k', boom, 1000).then(() => 'resolved', (err: Error) => err.message);
    const late = await jobs.attempt('j', boom, 0);
    await jobs.idle();
    const retried = await jobs.attempt('j', () => Promise.resolve(7), 1000);
    expect({ waited, late, retried, pending: jobs.pending('j') }).toEqual({ waited: 'bug', late: { done: false }, retried: { done: true, value: 7 }, pending: false });
  });

  it('shares one running job between joiners', async () => {
    const jobs = new Jobs();
    let runs = 0;
    const job = async (): Promise<string> => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 'tree';
    };
    const results = await Promise.all([jobs.join('c', job), jobs.join('c', job)]);
    expect({ results, runs }).toEqual({ results: ['tree', 'tree'], runs: 1 });
  });
});
