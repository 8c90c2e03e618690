import { readFileSync, mkdtempSync } from 'node:fs';
const { unpackDataDir } = await import('/work/wt/install/packages/rag/dist/untar.js');
const T = process.argv[2];
const b = readFileSync(T);
for (let i = 0; i < 3; i++) { const d = mkdtempSync('/tmp/inst/u-') + '/pg'; const s = performance.now(); unpackDataDir(b, d); console.log('unpack', (performance.now() - s).toFixed(0)); }
