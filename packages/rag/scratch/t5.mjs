import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const T0 = performance.now(); const lap = (m) => console.log(m, (performance.now() - T0).toFixed(0));
const rag = await import('/work/wt/install/packages/rag/dist/index.js'); lap('import');
const { embedderFromEnv } = await import('/work/wt/install/packages/rag/dist/embedders/index.js');
const { findStoreTemplate, storeTemplateKey } = rag;
const { readTemplate } = await import('/work/wt/install/packages/rag/dist/pglite-template.js');
const e = await embedderFromEnv({}); lap('embedder ' + e.embedder.id);
const key = storeTemplateKey(e.embedder.id, true); lap('key');
const t = findStoreTemplate(key, [process.env.HOME + '/.cache/scia']); lap('find');
const blob = readTemplate(t.file); lap('read');
const dir = mkdtempSync(join(tmpdir(), 'pgl-'));
const db = await rag.openDatabase({ kind: 'pglite', dataDir: dir, template: blob }); lap('open');
const st = await rag.openStore({ db, embedder: e.embedder }); lap('openStore');
const r = await st.value.store.search({ tenant: 'x', app: { language: 'javascript', framework: 'express', prompt: 'api' }, k: 8 }); lap('search ' + (r.ok ? r.value.cases.length : r.error));
process.exit(0)
