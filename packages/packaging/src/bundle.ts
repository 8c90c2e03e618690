import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { buildStoreTemplate } from '@scia/rag';
import { EXTERNAL, copyClosure, treeBytes } from './layout.js';
import type { Step } from './names.js';

/** APP_DIR is where an image holds the repository-shaped tree a bundle runs from. */
export const APP_DIR = '/app';

/** STORE_TEMPLATES is the directory of a bundle (and so of /app) holding the embedded store's template (SCIA_STORE_TEMPLATE_DIR). */
export const STORE_TEMPLATES = 'store-templates';

/**
 * STORE_ENTRY is the module that opens the embedded store: a bundle holding it
 * carries the template of a fresh store (the image's defaults: hashing
 * embedder, example knowledge), so the store opens in well under a second.
 */
const STORE_ENTRY = 'packages/rag/dist/env.js';

/**
 * ASSETS are files a bundle reads beside the repository's layout, copied when
 * the bundle holds code from `when` (a path prefix of the repository).
 */
const ASSETS = [{ when: 'packages/rag/', files: ['examples/knowledge/seed.json'] }];

/** Bundle is one function laid out as its image's /app: what it holds and how much. */
export interface Bundle {
  /** root is the directory laid out like the image's /app. */
  root: string;
  /** entry is the file node runs, relative to root. */
  entry: string;
  /** externals are the packages copied into node_modules (paths under node_modules). */
  externals: string[];
  assets: string[];
  /** storeTemplate is the store template's file, relative to root, for bundles that open the embedded store. */
  storeTemplate?: string;
  bytes: { code: number; nodeModules: number; assets: number; total: number };
}

/** BundleInput names what to bundle: a compiled entry file and where it lives in the repository. */
export interface BundleInput {
  repo: string;
  /** entry is the compiled entry module, relative to repo (e.g. functions/render-aws/dist/main.js). */
  entry: string;
  outRoot: string;
}

/**
 * WORKERS are the worker-thread modules a step's code starts by file, bundled
 * beside its entry with the same name (`.mjs`), where the code looks for them.
 */
const WORKERS: Readonly<Record<string, readonly string[]>> = {
  'functions/analyze/dist/main.js': ['packages/analyzer/dist/isolate/analysis-worker.js'],
};

/** functionEntry is a step's compiled main module, relative to the repository. */
export const functionEntry = (step: Step): string => `functions/${step}/dist/main.js`;

/**
 * bundleFunction bundles `entry` and everything it imports into one ESM file
 * (plus lazily loaded chunks, e.g. the transformers embedder) at the same
 * place in `outRoot` as in the repository, with `.mjs` names, leaving out
 * EXTERNAL packages, which are copied with their run-time dependency closure
 * into `outRoot/node_modules`, only those the bundle imports. Files the code
 * reads relative to its own location (ASSETS) are copied to the same relative
 * place. `outRoot` is emptied first.
 */
export async function bundleFunction(input: BundleInput): Promise<Bundle> {
  const repo = resolve(input.repo);
  const entryFile = join(repo, input.entry);
  if (!existsSync(entryFile)) throw new Error(`cannot bundle ${input.entry}: it is not built (run npx tsc -b)`);
  rmSync(input.outRoot, { recursive: true, force: true });
  const outDir = join(input.outRoot, dirname(input.entry));
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: repo,
    entryPoints: [entryFile, ...(WORKERS[input.entry] ?? []).map((w) => join(repo, w))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    outdir: outDir,
    entryNames: '[name]',
    // Chunks beside the entry: code that finds files relative to itself finds them as in the repository.
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    external: [...EXTERNAL],
    minify: true,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'silent',
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __sciaCreateRequire } from 'node:module';\nconst require = __sciaCreateRequire(import.meta.url);" },
  });
  const imported = externalsImported(result.metafile);
  const externals = copyClosure(imported, repo, input.outRoot);
  const assets = assetsFor(result.metafile, repo);
  for (const a of assets) {
    mkdirSync(dirname(join(input.outRoot, a)), { recursive: true });
    cpSync(join(repo, a), join(input.outRoot, a));
  }
  const storeTemplate = opensStore(result.metafile, repo) ? await templateFor(input.outRoot) : undefined;
  const code = treeBytes(join(input.outRoot, 'functions')) + treeBytes(join(input.outRoot, 'test'));
  const nodeModules = treeBytes(join(input.outRoot, 'node_modules'));
  const assetBytes = assets.reduce((n, a) => n + treeBytes(dirname(join(input.outRoot, a))), 0) + treeBytes(join(input.outRoot, STORE_TEMPLATES));
  return {
    root: input.outRoot,
    entry: join(dirname(input.entry), entryName(input.entry)),
    externals,
    assets,
    ...(storeTemplate === undefined ? {} : { storeTemplate }),
    bytes: { code, nodeModules, assets: assetBytes, total: treeBytes(input.outRoot) },
  };
}

const entryName = (entry: string): string => `${(entry.split('/').pop() ?? 'main.js').replace(/\.[cm]?js$/, '')}.mjs`;

/** externalsImported lists the EXTERNAL packages the bundle's outputs import (a deep import counts as its package). */
function externalsImported(meta: Metafile): string[] {
  const found = new Set<string>();
  for (const out of Object.values(meta.outputs)) {
    for (const imp of out.imports) {
      if (!imp.external) continue;
      const pkg = EXTERNAL.find((e) => imp.path === e || imp.path.startsWith(`${e}/`));
      if (pkg !== undefined && pkg !== 'pg-native') found.add(pkg);
    }
  }
  return [...found].sort();
}

function assetsFor(meta: Metafile, repo: string): string[] {
  const inputs = Object.keys(meta.inputs).map((p) => relative(repo, resolve(repo, p)));
  return ASSETS.filter((a) => inputs.some((i) => i.startsWith(a.when))).flatMap((a) => a.files);
}

function opensStore(meta: Metafile, repo: string): boolean {
  return Object.keys(meta.inputs).some((p) => relative(repo, resolve(repo, p)) === STORE_ENTRY);
}

/** templateFor builds the store template into the bundle, with the environment an image runs with. */
async function templateFor(outRoot: string): Promise<string> {
  const built = await buildStoreTemplate(join(outRoot, STORE_TEMPLATES), { NODE_ENV: 'production' });
  if (!built.ok) throw new Error(`cannot build the store template: ${built.error}`);
  return relative(outRoot, built.value);
}
