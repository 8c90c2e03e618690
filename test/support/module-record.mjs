// Preloaded (node --import) by tests that check what a process loads: at exit, writes every
// module file the process loaded, ES modules (through a load hook) and
// CommonJS ones (the require cache), one URL or path a line, to the file
// SCIA_TEST_MODULE_RECORD names.
import { createRequire, register } from 'node:module';
import { writeFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';

const loaded = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => loaded.add(url));
port1.unref();
const hooks = `let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url, { data: { port: port2 }, transferList: [port2] });

const { Module } = createRequire(import.meta.url)('node:module');
process.on('exit', () => {
  for (const file of Object.keys(Module._cache)) loaded.add(file);
  writeFileSync(process.env.SCIA_TEST_MODULE_RECORD, [...loaded].join('\n'));
});
