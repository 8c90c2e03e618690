import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** WasmModule is a compiled WebAssembly.Module, a type the compiler's libraries here do not declare. */
type WasmModule = object;
// Node's global WebAssembly, undeclared likewise.
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

/**
 * PgliteArtifacts are what PGlite reads and compiles as it starts: its
 * WebAssembly module (9 MB) and its file system bundle (6 MB). PGlite does
 * both only once it is created, after a fresh data directory is unpacked;
 * started here first, the compilation runs on V8's background threads while
 * the directory is written, and the reads on the thread pool.
 */
export interface PgliteArtifacts {
  pgliteWasmModule: WasmModule;
  fsBundle: Blob;
}

let started: Promise<PgliteArtifacts | undefined> | undefined;

/**
 * pgliteArtifacts starts reading and compiling PGlite's artifacts, once per
 * process, and resolves to them; to undefined when they cannot be read or
 * compiled, and PGlite then loads them itself (and meets the error, if any).
 */
export function pgliteArtifacts(): Promise<PgliteArtifacts | undefined> {
  started ??= load().catch(() => undefined);
  return started;
}

async function load(): Promise<PgliteArtifacts> {
  // The artifacts sit beside PGlite's entry module, where it looks for them itself.
  const at = (name: string): string => fileURLToPath(new URL(name, import.meta.resolve('@electric-sql/pglite')));
  const [wasm, bundle] = await Promise.all([readFile(at('./pglite.wasm')), readFile(at('./pglite.data'))]);
  return { pgliteWasmModule: await wasmApi.compile(wasm), fsBundle: new Blob([bundle]) };
}
