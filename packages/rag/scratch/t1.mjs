import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const t0 = performance.now();
const { storeFrom } = await import('/work/wt/install/packages/rag/dist/index.js');
const t1 = performance.now();
const { PGlite } = await import('@electric-sql/pglite');
const { vector } = await import('@electric-sql/pglite-pgvector');
const t2 = performance.now();
console.log('import rag', (t1-t0).toFixed(0), 'pglite', (t2-t1).toFixed(0));
const mode = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'pgl-'));
let s = performance.now();
if (mode === 'raw') {
  const db = await PGlite.create({ dataDir: join(dir,'d'), extensions: { vector } });
  console.log('raw create (initdb)', (performance.now()-s).toFixed(0)); s = performance.now();
  await db.close();
  const db2 = await PGlite.create({ dataDir: join(dir,'d'), extensions: { vector } });
  console.log('reopen', (performance.now()-s).toFixed(0)); s = performance.now();
  await db2.query('select 1');
  await db2.close();
  const mem = await PGlite.create({ extensions: { vector } });
  console.log('memory create', (performance.now()-s).toFixed(0));
} else {
  const r = await storeFrom({ SCIA_DATA_DIR: dir, SCIA_CALL_BUDGET_MS: 3000, SCIA_RAG_SEED: true, SCIA_RAG_SEARCH: 'hnsw', SCIA_RAG_EF_SEARCH: 200 }, { cwd: dir });
  console.log('storeFrom', (performance.now()-s).toFixed(0), r.ok, r.ok && r.value.seeded);
  await r.value.store.close();
}
