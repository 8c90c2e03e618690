import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { storeFrom } = await import('/work/wt/install/packages/rag/dist/index.js');
const { PGlite } = await import('@electric-sql/pglite');
const { vector } = await import('@electric-sql/pglite-pgvector');
const dir = mkdtempSync(join(tmpdir(), 'pgl-'));
const r = await storeFrom({ SCIA_DATA_DIR: dir, SCIA_CALL_BUDGET_MS: 3000, SCIA_RAG_SEED: true, SCIA_RAG_SEARCH: 'hnsw', SCIA_RAG_EF_SEARCH: 200 }, { cwd: dir });
await r.value.store.close();
let s = performance.now();
const db = await PGlite.create({ dataDir: join(dir, 'pglite'), extensions: { vector } });
console.log('reopen', (performance.now()-s).toFixed(0)); s = performance.now();
for (const c of ['gzip', 'none']) {
  s = performance.now();
  const blob = await db.dumpDataDir(c);
  const buf = Buffer.from(await blob.arrayBuffer());
  writeFileSync(`/tmp/inst/tpl-${c}.tar`, buf);
  console.log('dump', c, buf.length, (performance.now()-s).toFixed(0));
}
await db.close();
for (const c of ['gzip', 'none', 'gzip', 'none']) {
  const d2 = mkdtempSync(join(tmpdir(), 'pgl-'));
  s = performance.now();
  const blob = new Blob([readFileSync(`/tmp/inst/tpl-${c}.tar`)]);
  const db2 = await PGlite.create({ dataDir: d2, loadDataDir: blob, extensions: { vector } });
  const t1 = performance.now();
  const n = await db2.query('select count(*) from deployments');
  console.log('load', c, (t1-s).toFixed(0), 'query', (performance.now()-t1).toFixed(0), n.rows);
  await db2.close();
}
