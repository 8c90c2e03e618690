import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * EXTERNAL are the packages a bundle leaves out and the image carries in
 * node_modules: those that read files beside their own code at run time
 * (WebAssembly, native binaries) or that must be one copy
 * shared with another external. Everything else is bundled.
 */
export const EXTERNAL = [
  '@electric-sql/pglite',
  '@electric-sql/pglite-pgvector',
  'onnxruntime-node',
  'onnxruntime-common',
  'sharp',
  // pg's optional native binding: never installed, required only when asked for.
  'pg-native',
] as const;

/** RUNTIME_DEPENDENCIES overrides a package's dependencies where its package.json lists install-time or tool ones. */
const RUNTIME_DEPENDENCIES: Record<string, string[]> = {
  // tar and global-agent only serve its install script, which the image never runs.
  'onnxruntime-node': ['onnxruntime-common'],
  // yargs serves its command-line tool only.
  '@grpc/proto-loader': ['lodash.camelcase', 'long', 'protobufjs'],
};

/**
 * keep tells whether a file of package `pkg` goes into an image: not types,
 * source maps or docs; of onnxruntime-node only the binaries for Linux on this
 * machine's architecture (an image is built on its own platform), once (npm
 * turns the library's symbolic link into a second copy; the binding loads
 * `libonnxruntime.so.1`); of PGlite not the contrib extensions, which SCIA
 * never loads (pgvector comes from its own package).
 */
export function keep(pkg: string, path: string): boolean {
  const rel = path.split(sep).join('/');
  const base = rel.split('/').pop() ?? '';
  if (/\.d\.[cm]?ts$|\.map$|\.md$/i.test(base) && !/^licen[cs]e/i.test(base)) return false;
  if (pkg === 'onnxruntime-node') {
    const bin = /\/bin\/napi-v\d+\/([^/]+)(?:\/([^/]+))?/.exec(rel);
    if (bin !== null && (bin[1] !== 'linux' || (bin[2] !== undefined && bin[2] !== process.arch))) return false;
    if (/^libonnxruntime\.so\.\d+\.\d+\.\d+$/.test(base)) return false;
  }
  if (pkg === '@electric-sql/pglite' && /\/dist\/[^/]+\.tar\.gz$/.test(rel)) return false;
  return true;
}

/** packageDir finds `name`'s directory as Node resolves it from `from` (a directory), if installed. */
export function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function dependenciesOf(name: string, dir: string): string[] {
  const override = RUNTIME_DEPENDENCIES[name];
  if (override !== undefined) return override;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  // Type declarations listed as dependencies are never loaded.
  return [...Object.keys(pkg['dependencies'] ?? {}), ...Object.keys(pkg['optionalDependencies'] ?? {})].filter((d) => !d.startsWith('@types/'));
}

/**
 * copyClosure copies each of `names` (resolved from `repo`) and what it
 * depends on at run time into `outRoot/node_modules`, keeping the layout
 * Node resolves through: a dependency nested in its dependent's node_modules
 * stays nested, one hoisted to the top stays at the top. Optional
 * dependencies are copied when installed (the build machine's platform).
 * Returns the packages copied, by path under node_modules.
 */
export function copyClosure(names: readonly string[], repo: string, outRoot: string): string[] {
  const top = join(repo, 'node_modules');
  const copied = new Set<string>();
  const visit = (name: string, from: string): void => {
    const dir = packageDir(name, from);
    if (dir === undefined) return;
    const rel = relative(top, dir);
    if (copied.has(rel)) return;
    copied.add(rel);
    if (!rel.includes(`${sep}node_modules${sep}`) || !isInside(dir, [...copied].filter((c) => c !== rel).map((c) => join(top, c)))) {
      cpSync(dir, join(outRoot, 'node_modules', rel), { recursive: true, dereference: false, filter: (src) => keep(name, src) });
    }
    for (const dep of dependenciesOf(name, dir)) visit(dep, dir);
  };
  for (const name of names) visit(name, repo);
  return [...copied].sort();
}

const isInside = (dir: string, parents: string[]): boolean => parents.some((p) => dir.startsWith(`${p}${sep}`));

/** treeBytes sums the sizes of the regular files under `dir` (0 when it does not exist). */
export function treeBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}
