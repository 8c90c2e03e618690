import { SingleFlight } from '@scia/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { decide } from '@scia/decider';
import { LayeredDecisionCache, MemoryDecisionCache, SqlDecisionCache, runFunction, type CachedDecision, type DecideDeps, type DecisionCache } from '../src/index.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../../../test/support/postgres.js';
import { decisionOf, request } from './request.js';

const HASH_A = 'a'.repeat(64);

function entry(reason: string): CachedDecision {
  return {
    decision: {
      strategy: 'vm',
      reason,
      confidence: 0.5,
      config: { instanceType: 't3.small' },
      alternativeStrategies: [],
      estimatedMonthlyCost: 20.43,
      costBreakdown: [{ item: 'ec2 instances: 1 x t3.small', monthly: 15.18 }],
      decidedBy: 'rules',
      inputHash: HASH_A,
      citedCases: [],
    },
    warnings: ['w'],
  };
}

function replica(pool: pg.Pool, decided: { n: number }): DecideDeps {
  return {
    decide: (input) => {
      decided.n++;
      return decide(input);
    },
    modelFor: () => undefined,
    cache: new LayeredDecisionCache(new MemoryDecisionCache(), new SqlDecisionCache(pool)),
    pending: new SingleFlight(),
    budgetMs: 10_000,
  };
}

function suite(open: () => Promise<{ pool: pg.Pool; close(): Promise<void> }>): void {
  let handle: { pool: pg.Pool; close(): Promise<void> };
  let pool: pg.Pool;
  beforeAll(async () => {
    handle = await open();
    pool = handle.pool;
  });
  afterAll(async () => {
    await handle.close();
  });

  it('reads back what it kept, and the first writer of a hash wins', async () => {
    const cache = new SqlDecisionCache(pool);
    await cache.put(HASH_A, entry('first'));
    await cache.put(HASH_A, entry('second'));
    expect({ kept: await cache.get(HASH_A), missing: await cache.get('b'.repeat(64)) }).toEqual({ kept: entry('first'), missing: undefined });
  });

  it('lets a restarted replica reuse a decision without deciding again', async () => {
    const decided = { n: 0 };
    const first = await runFunction(request({ spec: { prompt: 'restart' } }), replica(pool, decided));
    const restarted = await runFunction(request({ spec: { prompt: 'restart' } }), replica(pool, decided));
    expect({ decided: decided.n, same: JSON.stringify(restarted) === JSON.stringify(first) }).toEqual({ decided: 1, same: true });
  });

  it('treats a row that no longer validates as a miss', async () => {
    await pool.query('INSERT INTO scia_decisions (input_hash, decision) VALUES ($1, $2)', ['c'.repeat(64), JSON.stringify({ strategy: 'mainframe' })]);
    expect(await new SqlDecisionCache(pool).get('c'.repeat(64))).toBeUndefined();
  });
}

describe('SqlDecisionCache on PGlite', () => {
  suite(async () => {
    const db = await PGlite.create();
    const pool = new pg.Pool({ ...createPgConfig(db), max: 1, idleTimeoutMillis: 0 });
    return { pool, close: async () => { await pool.end(); await db.close(); } };
  });
});

describe.skipIf(postgresSkipReason !== undefined)(`SqlDecisionCache on PostgreSQL${postgresSkipReason === undefined ? '' : ` (skipped: ${postgresSkipReason})`}`, () => {
  let server: TestPostgres;
  suite(async () => {
    server = await startPostgres();
    const pool = new pg.Pool({ connectionString: await server.createDatabase() });
    return { pool, close: async () => { await pool.end(); await server.stop(); } };
  });
});

describe('a database that refuses connections', () => {
  it('warns and still decides', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    pool.on('error', () => undefined);
    const rsp = await runFunction(request(), replica(pool, { n: 0 }));
    await pool.end();
    expect({
      decided: decisionOf(rsp)?.decidedBy,
      warnings: rsp.results.map((r) => r.message.replace(/: .*$/, ': ...')),
    }).toEqual({ decided: 'rules', warnings: ['cannot read the decision cache: ...', 'cannot keep the decision by its input hash: ...'] });
  });
});

describe('a decision cache that never answers', () => {
  it('takes at most the call budget; the rules decide in the background and the next call takes the decision', async () => {
    const silent: DecisionCache = { get: () => new Promise(() => undefined), put: () => Promise.resolve() };
    const decided = { n: 0 };
    const deps = { ...replica(new pg.Pool(), decided), cache: silent, budgetMs: 2000 };
    const first = await runFunction(request(), deps);
    await deps.pending.idle();
    const rsp = await runFunction(request(), deps);
    expect({ first: decisionOf(first)?.decidedBy, decided: decisionOf(rsp)?.decidedBy, warnings: rsp.results.map((r) => r.message) }).toEqual({
      first: undefined,
      decided: 'rules',
      warnings: [
        'cannot read the decision cache: the decision cache did not answer within 2000 ms',
        'cannot keep the decision by its input hash: the decision cache did not answer within 2000 ms',
      ],
    });
  });
});

describe('MemoryDecisionCache', () => {
  it('keeps the latest entries up to its bound', async () => {
    const cache = new MemoryDecisionCache(2);
    const hashes = ['1', '2', '3'].map((d) => d.repeat(64));
    for (const h of hashes) await cache.put(h, entry(h));
    const kept = await Promise.all(hashes.map(async (h) => (await cache.get(h))?.decision.reason));
    expect(kept).toEqual([undefined, '2'.repeat(64), '3'.repeat(64)]);
  });
});
