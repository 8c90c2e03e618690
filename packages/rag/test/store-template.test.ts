import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildStoreTemplate, ensureStoreTemplate, storeFromEnv, unpackDataDir } from '@scia/rag';
import { flaskQuery, record } from '../../../test/support/rag-fixtures.js';

const scratch = (name: string): string => mkdtempSync(join(tmpdir(), `scia-${name}-`));

async function rowsOf(env: Record<string, string>): Promise<{ template: string | undefined; seeded: unknown; rows: unknown[] }> {
  const opened = await storeFromEnv(env);
  if (!opened.ok) throw new Error(opened.error);
  try {
    const { rows } = await opened.value.store.db.pool.query('SELECT id, name, namespace, shared, framework, strategy, outcome, summary, embedding::text AS embedding FROM deployments ORDER BY id');
    return { template: opened.value.template, seeded: opened.value.seeded, rows };
  } finally {
    await opened.value.store.close();
  }
}

// Each test creates stores from nothing (initdb, migrations, seed): seconds each, tens on a busy machine.
describe('store templates', { timeout: 120_000 }, () => {
  it('a fresh store leaves its template in SCIA_CACHE_DIR; the next starts from it, holding the same rows', async () => {
    const cache = scratch('cache');
    const first = await rowsOf({ SCIA_DATA_DIR: scratch('a'), SCIA_CACHE_DIR: cache });
    const files = readdirSync(cache).filter((f) => f.startsWith('store-')).sort();
    const second = await rowsOf({ SCIA_DATA_DIR: scratch('b'), SCIA_CACHE_DIR: cache });
    expect({ first: first.template, files: files.map((f) => f.replace(/[0-9a-f]{20}/, 'KEY')), second: second.template, same: second.rows, seeded: second.seeded }).toEqual({
      first: undefined,
      files: ['store-KEY.tar.gz', 'store-KEY.tar.gz.json'],
      second: join(cache, files[0] ?? ''),
      same: first.rows,
      seeded: first.seeded,
    });
    expect(first.rows.length).toBe(39);
  });

  it('keeps no template of a first store written to before it closes: a template is the store as it was made', async () => {
    const cache = scratch('cache');
    const opened = await storeFromEnv({ SCIA_DATA_DIR: scratch('w'), SCIA_CACHE_DIR: cache, SCIA_RAG_SEED: 'false' });
    if (!opened.ok) throw new Error(opened.error);
    const recorded = await opened.value.store.record(record({ xrUid: 'written-before-close', name: 'written-before-close' }));
    await opened.value.store.close();
    const next = await rowsOf({ SCIA_DATA_DIR: scratch('x'), SCIA_CACHE_DIR: cache, SCIA_RAG_SEED: 'false' });
    expect({ recorded: recorded.ok, templates: readdirSync(cache).filter((f) => /^store-.*\.tar\.gz$/.test(f)), next: next.rows }).toEqual({ recorded: true, templates: [], next: [] });
  });

  it('keys a template by what the store holds: another embedder or no seed does not use it', async () => {
    const cache = scratch('cache');
    await rowsOf({ SCIA_DATA_DIR: scratch('a'), SCIA_CACHE_DIR: cache });
    const unseeded = await rowsOf({ SCIA_DATA_DIR: scratch('b'), SCIA_CACHE_DIR: cache, SCIA_RAG_SEED: 'false' });
    expect({ template: unseeded.template, rows: unseeded.rows }).toEqual({ template: undefined, rows: [] });
  });

  it('skips a template that does not start, with a Warning naming it, and starts the store from nothing', async () => {
    const cache = scratch('cache');
    await rowsOf({ SCIA_DATA_DIR: scratch('a'), SCIA_CACHE_DIR: cache });
    const file = readdirSync(cache).find((f) => f.startsWith('store-') && f.endsWith('.tar.gz')) ?? '';
    writeFileSync(join(cache, file), 'not a gzipped tarball');
    const opened = await storeFromEnv({ SCIA_DATA_DIR: scratch('b'), SCIA_CACHE_DIR: cache });
    if (!opened.ok) throw new Error(opened.error);
    const { rows } = await opened.value.store.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM deployments');
    await opened.value.store.close();
    expect({ warnings: opened.value.warnings, template: opened.value.template, rows }).toEqual({
      warnings: [expect.stringMatching(new RegExp(`^cannot start the deployments store from its template ${join(cache, file)}: .+; starting it from nothing$`)) as unknown],
      template: undefined,
      rows: [{ n: '39' }],
    });
  }, 120_000);

  it('builds a template for images in a directory of its own, which a store then starts from', async () => {
    const dir = scratch('templates');
    const built = await buildStoreTemplate(dir, {});
    if (!built.ok) throw new Error(built.error);
    const opened = await rowsOf({ SCIA_DATA_DIR: scratch('c'), SCIA_CACHE_DIR: scratch('empty-cache'), SCIA_STORE_TEMPLATE_DIR: dir });
    expect({ template: opened.template, rows: opened.rows.length }).toEqual({ template: built.value, rows: 39 });
  });

  it('packs the store\'s own database alone; a store started from it (16 MB of shared buffers) migrates, records, retrieves and vacuums, and reopens', async () => {
    const dir = scratch('templates');
    const built = await buildStoreTemplate(dir, {});
    if (!built.ok) throw new Error(built.error);
    const unpacked = join(scratch('unpacked'), 'pglite');
    await unpackDataDir(readFileSync(built.value), unpacked);
    const env = { SCIA_DATA_DIR: scratch('e'), SCIA_CACHE_DIR: scratch('empty-cache'), SCIA_STORE_TEMPLATE_DIR: dir };
    const names = async (reopened: boolean): Promise<unknown> => {
      const opened = await storeFromEnv(env);
      if (!opened.ok) throw new Error(opened.error);
      const { store } = opened.value;
      try {
        if (!reopened) await store.record(record({ xrUid: 'from-template', name: 'from-template' }));
        // Database-wide maintenance reads every database's catalog entry, not its files.
        await store.db.pool.query('VACUUM');
        await store.db.pool.query('ANALYZE');
        const found = await store.search(flaskQuery());
        const { rows } = await store.db.pool.query<{ oid: string }>('SELECT oid::text FROM pg_database WHERE datname = current_database()');
        const buffers = await store.db.pool.query<{ shared_buffers: string }>('SHOW shared_buffers');
        return { template: opened.value.template, database: rows[0]?.oid, buffers: buffers.rows[0]?.shared_buffers, found: found.ok ? found.value.cases.some((c) => c.name === 'from-template') : found.error };
      } finally {
        await store.close();
      }
    };
    const first = await names(false);
    expect({ first, reopened: await names(true) }).toEqual({
      first: { template: built.value, database: expect.stringMatching(/^\d+$/) as unknown, buffers: '16MB', found: true },
      reopened: { template: undefined, database: (first as { database: string }).database, buffers: '16MB', found: true },
    });
    expect(readdirSync(join(unpacked, 'base'))).toEqual([(first as { database: string }).database]);
  });

  it('leaves a template in the cache at build time, once: the first fresh store starts from it', async () => {
    const cache = scratch('build-cache');
    const built = await ensureStoreTemplate({ SCIA_CACHE_DIR: cache }, tmpdir());
    const again = await ensureStoreTemplate({ SCIA_CACHE_DIR: cache }, tmpdir());
    const opened = await rowsOf({ SCIA_DATA_DIR: scratch('d'), SCIA_CACHE_DIR: cache });
    const file = built.ok ? built.value.file : built.error;
    expect({ built, again, template: opened.template, rows: opened.rows.length, cache: readdirSync(cache).sort() }).toEqual({
      built: { ok: true, value: { file: expect.stringMatching(new RegExp(`^${cache}/store-[0-9a-f]{20}\\.tar\\.gz$`)) as unknown, built: true } },
      again: { ok: true, value: { file, built: false } },
      template: file,
      rows: 39,
      cache: [basename(file), `${basename(file)}.json`],
    });
  });
});

/** tarOf builds a ustar archive of `members` by hand, as PGlite's dump lays it out. */
function tarOf(members: Array<{ name: string; type: string; body?: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const header = Buffer.alloc(512);
    const body = Buffer.from(m.body ?? '');
    header.write(m.name, 0, 100, 'utf8');
    header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 12, 'latin1');
    header.write(m.type, 156, 1, 'latin1');
    header.write('ustar\0', 257, 6, 'latin1');
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

describe('unpackDataDir', () => {
  it('writes directories and files, then renames the whole into place', async () => {
    const dest = join(scratch('unpack'), 'pglite');
    await unpackDataDir(tarOf([{ name: '/PG_VERSION', type: '0', body: '17\n' }, { name: '/base', type: '5' }, { name: '/base/1/112', type: '0', body: 'x'.repeat(700) }]), dest);
    expect([readdirSync(dest).sort(), readdirSync(join(dest, 'base', '1'))]).toEqual([['PG_VERSION', 'base'], ['112']]);
  });

  it('writes many files in nested directories, listed or not, each with its own bytes', async () => {
    const dest = join(scratch('unpack'), 'pglite');
    // More files than are written at once, some under a directory the tarball never lists.
    const files = Array.from({ length: 40 }, (_, i) => ({ name: `${i % 3 === 0 ? 'pg_wal/archive_status' : `base/${i % 4}`}/${1000 + i}`, type: '0', body: `${i}:`.repeat(i * 50 + 1) }));
    await unpackDataDir(tarOf([{ name: 'base', type: '5' }, ...[0, 1, 2, 3].map((d) => ({ name: `base/${d}`, type: '5' })), ...files]), dest);
    expect(files.map((f) => readFileSync(join(dest, f.name), 'utf8') === f.body).filter((same) => !same)).toEqual([]);
    expect(readdirSync(join(dest, 'pg_wal', 'archive_status')).length).toBe(14);
  });

  const refused = {
    'parent': { reason: 'a member outside the data directory', members: [{ name: '../escape', type: '0', body: 'x' }], error: /cannot unpack member "..\/escape": not a path inside the data directory/ },
    'symlink': { reason: 'a link, which PGlite never dumps', members: [{ name: 'link', type: '2' }], error: /cannot unpack member "link": type "2" is not a file or directory/ },
  };
  it.each(Object.entries(refused))('refuses %s and leaves nothing behind', async (_, { reason, members, error }) => {
    const parent = scratch('unpack');
    await expect(unpackDataDir(tarOf(members), join(parent, 'pglite')), reason).rejects.toThrow(error);
    expect(readdirSync(parent), reason).toEqual([]);
  });
});
