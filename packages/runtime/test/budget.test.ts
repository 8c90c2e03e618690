import { describe, expect, it } from 'vitest';
import { SingleFlight, within, withinResult } from '@scia/runtime';

describe('SingleFlight', () => {
  it('hands a result that outlived its caller to the next caller, once', async () => {
    const jobs = new SingleFlight();
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
    const jobs = new SingleFlight();
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

  it('shares one running job between callers of run, and keeps no result after it', async () => {
    const jobs = new SingleFlight();
    let runs = 0;
    const job = async (): Promise<string> => {
      runs++;
      await Promise.resolve();
      return 'tree';
    };
    const results = await Promise.all([jobs.run('c', job), jobs.run('c', job)]);
    const sharedRuns = runs;
    await jobs.run('c', job);
    expect({ results, sharedRuns, runs }).toEqual({ results: ['tree', 'tree'], sharedRuns: 1, runs: 2 });
  });

  it('holds at most `keep` late results, dropping the least recently used', async () => {
    const jobs = new SingleFlight(2);
    const gates: Array<() => void> = [];
    const slow = (v: string) => (): Promise<string> => new Promise((resolve) => gates.push(() => resolve(v)));
    for (const k of ['a', 'b', 'c']) await jobs.attempt(k, slow(k), 0);
    for (const open of gates) open();
    await jobs.idle();
    const fresh = (): Promise<string> => Promise.resolve('again');
    const got = await Promise.all(['a', 'b', 'c'].map((k) => jobs.attempt(k, fresh, 1000)));
    expect(got).toEqual([{ done: true, value: 'again' }, { done: true, value: 'b' }, { done: true, value: 'c' }]);
  });
});

describe('within', () => {
  const cases = {
    'in time': { reason: 'work that settles within the budget is returned', work: () => Promise.resolve(1), ms: 1000, want: { done: true, value: 1 } },
    late: { reason: 'work still running at the budget is reported not done', work: () => new Promise<number>(() => undefined), ms: 1, want: { done: false } },
    'negative budget': { reason: 'a negative budget waits no time rather than throwing', work: () => new Promise<number>(() => undefined), ms: -5, want: { done: false } },
  };
  it.each(Object.entries(cases))('%s', async (_, { reason, work, ms, want }) => {
    expect(await within(work(), ms), reason).toEqual(want);
  });

  it('turns a late Result into a failure naming who was slow', async () => {
    const got = await withinResult(new Promise<never>(() => undefined), 5, 'the store');
    expect(got).toEqual({ ok: false, error: 'the store did not answer within 5 ms' });
  });
});
