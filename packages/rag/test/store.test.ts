import { ok } from '@scia/api';
import { describe, expect } from 'vitest';
import { casesByIds, hashingEmbedder, openStore, type Database, type Embedder, type Store } from '@scia/rag';
import { backends, onBackend } from './backends.js';
import { fixedClock, flaskQuery, record } from '../../../test/support/rag-fixtures.js';

async function storeOn(db: Database, embedder: Embedder = hashingEmbedder(), bucketMinRows?: number): Promise<Store> {
  const opened = await openStore({ db, embedder, clock: fixedClock, ...(bucketMinRows === undefined ? {} : { bucketMinRows }) });
  if (!opened.ok) throw new Error(opened.error);
  return opened.value.store;
}

async function count(db: Database): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM deployments');
  return Number(rows[0]?.n);
}

/** renamed is an embedder that embeds as hashing does under another id. */
function renamed(id: string): Embedder {
  const h = hashingEmbedder();
  return { id, dimensions: 384, embed: (t) => h.embed(t) };
}

describe.each(backends())('store on $name', (backend) => {
  const test = onBackend(backend);

  test('keeps one row when the same outcome is recorded 100 times', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db);
    const results = [];
    for (let i = 0; i < 100; i++) results.push(await store.record(record()));
    expect(results.filter((r) => r.ok && r.value.written)).toHaveLength(1);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await count(db)).toBe(1);
  });

  test('updates the row when the outcome of the same decision changes', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db);
    await store.record(record());
    const failed = await store.record(record({ outcome: 'failed', failureReason: 'instance never became healthy' }));
    expect(failed).toMatchObject({ ok: true, value: { written: true } });
    const { rows } = await db.pool.query('SELECT outcome, failure_reason FROM deployments');
    expect({ n: await count(db), rows }).toEqual({ n: 1, rows: [{ outcome: 'failed', failure_reason: 'instance never became healthy' }] });
  });

  test('lets feedback change the ranking, once per change; a thumbs-down ranks a case lower, never erases it', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db);
    await store.record(record({ xrUid: 'a', name: 'first' }));
    await store.record(record({ xrUid: 'b', name: 'second' }));
    const names = async (): Promise<string[]> => {
      const found = await store.search(flaskQuery());
      return found.ok ? found.value.cases.map((c) => `${c.name} ${c.feedback} ${c.scoreParts.feedback}`) : [found.error];
    };
    const before = await names();
    const changes = [await store.setFeedback({ xrUid: 'b', decisionHash: 'hash-1' }, 1, 'fast and cheap'), await store.setFeedback({ xrUid: 'b', decisionHash: 'hash-1' }, 1, 'fast and cheap')];
    expect({ before, after: await names(), changes }).toEqual({
      before: ['first 0 0.5', 'second 0 0.5'],
      after: ['second 1 1', 'first 0 0.5'],
      changes: [ok({ found: true, changed: true }), ok({ found: true, changed: false })],
    });
    await store.setFeedback({ xrUid: 'first', decisionHash: 'x' }, 1, undefined).then((r) => expect(r).toEqual(ok({ found: false, changed: false })));
    await store.setFeedback({ xrUid: 'a', decisionHash: 'hash-1' }, -1, 'too slow');
    expect(await names()).toEqual(['second 1 1', 'first -1 0']);
  });

  test('never shows a tenant another tenant\'s private cases', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db);
    await store.record(record({ xrUid: 'a1', name: 'a-private', namespace: 'team-a' }));
    await store.record(record({ xrUid: 'b1', name: 'b-private', namespace: 'team-b' }));
    await store.record(record({ xrUid: 'c1', name: 'c-shared', namespace: 'team-c', shared: true }));
    const seen = async (tenant: string): Promise<string[]> => {
      const found = await store.search(flaskQuery({ tenant }));
      return found.ok ? found.value.cases.map((c) => c.name).sort() : [found.error];
    };
    expect({ a: await seen('team-a'), b: await seen('team-b'), z: await seen('team-z'), none: await seen('') }).toEqual({
      a: ['a-private', 'shared case'],
      b: ['b-private', 'shared case'],
      z: ['shared case'],
      none: ['shared case'],
    });
  });

  test('refuses vectors of the wrong dimension and writes nothing', async () => {
    const db = await backend.fresh();
    const short: Embedder = { id: 'short', dimensions: undefined, embed: (t) => Promise.resolve(ok(t.map(() => new Array<number>(383).fill(0.1)))) };
    const store = await storeOn(db, short);
    const opened = await openStore({ db, embedder: { ...short, dimensions: 768 } });
    expect({ recorded: await store.record(record()), n: await count(db), opened }).toEqual({
      recorded: { ok: false, error: 'cannot record deployment flask-api (uid-flask-1, decision hash-1): cannot use the embedding of text 0 from short: expected 384 dimensions, got 383' },
      n: 0,
      opened: { ok: false, error: 'cannot use embedder short: it makes 768-dimension vectors, the store keeps 384' },
    });
  });

  test('compares only vectors of the same embedder, and re-embeds a row recorded again', async () => {
    const db = await backend.fresh();
    await (await storeOn(db)).record(record());
    const other = await storeOn(db, renamed('other-v1'));
    const before = await other.search(flaskQuery());
    const again = await other.record(record());
    const after = await other.search(flaskQuery());
    expect({
      before: before.ok && before.value.cases.length,
      again: again.ok && again.value.written,
      after: after.ok && after.value.cases.map((c) => c.name),
      embedders: (await db.pool.query('SELECT embedder FROM deployments')).rows,
    }).toEqual({ before: 0, again: true, after: ['flask-api'], embedders: [{ embedder: 'other-v1' }] });
  });

  test('binds a SQL-ish prompt as a parameter', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db);
    const prompt = "'; DROP TABLE deployments; -- \\x00 $1 ) OR 1=1";
    const name = "o'brien\"; DELETE FROM deployments";
    const recorded = await store.record(record({ name, app: { language: 'python', framework: "flask' OR '1'='1", prompt } }));
    const found = await store.search({ app: { language: 'python', framework: "flask' OR '1'='1", prompt }, tenant: "team-a' OR shared OR '", filters: { framework: "flask' OR '1'='1" } });
    const own = await store.search({ app: { language: 'python', framework: "flask' OR '1'='1", prompt }, tenant: 'team-a', filters: { framework: "flask' OR '1'='1" } });
    const { rows } = await db.pool.query("SELECT name, metadata->'app'->>'prompt' AS prompt FROM deployments");
    expect({ recorded: recorded.ok, other: found.ok && found.value.cases.length, own: own.ok && own.value.cases.map((c) => c.name), rows }).toEqual({
      recorded: true,
      other: 0,
      own: [name],
      rows: [{ name, prompt }],
    });
  });

  test('finds the same cases through the IVF lists and with an exact scan', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db, hashingEmbedder(), 40);
    const frameworks = ['flask', 'django', 'express', 'fastapi'];
    const prepared = await store.prepare(
      Array.from({ length: 80 }, (_, i) =>
        record({ xrUid: `u${i}`, name: `app-${i}`, app: { language: 'python', framework: frameworks[i % 4] ?? 'flask', prompt: `service number ${i % 7} with cache ${i % 3}` } }),
      ),
    );
    if (!prepared.ok) throw new Error(prepared.error);
    expect(await store.writeMany(prepared.value)).toEqual(ok(80));
    const query = { app: { language: 'python', framework: 'flask', prompt: 'service number 3 with cache 1' }, tenant: 'team-a', filters: { framework: 'flask' }, k: 5 };
    const index = await store.search(query, { mode: 'index' });
    const exact = await store.search(query, { mode: 'exact' });
    const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'deployment_vectors' AND indexdef LIKE '%USING ivfflat%'");
    expect({ indexes: Number(rows[0]?.n), cases: index.ok && index.value.cases.length }).toEqual({ indexes: 1, cases: 5 });
    expect(index).toEqual(exact);
  });

  test('reads cited cases by stable or row id, in the tenant\'s scope, in the order asked', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db);
    const own = await store.record(record({ xrUid: 'a', name: 'mine', decisionHash: 'aaaaaaaaaaaa1' }));
    await store.record(record({ xrUid: 'b', name: 'theirs', namespace: 'team-b', shared: true, decisionHash: 'bbbbbbbbbbbb1' }));
    await store.record(record({ xrUid: 'c', name: 'private', namespace: 'team-b', decisionHash: 'cccccccccccc1' }));
    if (!own.ok) throw new Error(own.error);
    const shared = (await casesByIds(db, ['team-b/theirs@bbbbbbbbbbbb'], 'team-b'))[0]?.row;
    const theirs = shared === undefined ? 'missing' : (await casesByIds(db, ['x@bbbbbbbbbbbb'], 'team-a')).length;
    const found = await casesByIds(db, ['team-b/private@cccccccccccc', 'nobody/else@dddddddddddd', own.value.id, 'team-a/mine@aaaaaaaaaaaa'], 'team-a');
    expect({ found: found.map((f) => `${f.asked} -> ${f.id} ${f.row.name}`), shared: shared?.name, theirs }).toEqual({
      found: [`${own.value.id} -> team-a/mine@aaaaaaaaaaaa mine`, 'team-a/mine@aaaaaaaaaaaa -> team-a/mine@aaaaaaaaaaaa mine'],
      shared: 'theirs', theirs: 0,
    });
  });
});
