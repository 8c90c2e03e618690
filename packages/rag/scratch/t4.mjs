import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { storeFrom, parseStoreEnv } = await import('/work/wt/install/packages/rag/dist/index.js');
const cache = process.argv[2];
for (let i = 0; i < 3; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'pgl-'));
  const s = performance.now();
  const env = parseStoreEnv({ SCIA_DATA_DIR: dir, SCIA_CACHE_DIR: cache });
  const r = await storeFrom(env.value, { cwd: dir });
  const t = performance.now() - s;
  const n = await r.value.store.db.pool.query('select count(*) from deployments');
  console.log('storeFrom', t.toFixed(0), r.ok, r.value.seeded, r.value.template, n.rows);
  await r.value.store.close();
}
