import { ensureStoreTemplate } from './build-template.js';

/**
 * `node packages/rag/dist/template-main.js`, run by `npm run build`: leaves
 * the embedded store's template in the user's cache (see
 * ensureStoreTemplate), saying which. Best effort: a template that cannot be
 * built is one line on stderr and a slower first store, never a failed build.
 */
const started = performance.now();
const made = await ensureStoreTemplate(process.env, process.cwd()).catch((err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) }));
const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
if (made.ok) process.stderr.write(`store template ${made.value.built ? `built in ${took}` : 'up to date'}: ${made.value.file}\n`);
else process.stderr.write(`cannot build the store template (a fresh store starts from nothing instead): ${made.error}\n`);
