#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { crdDir, createValidator, repoRootFrom } from '@scia/schemas';
import { bundleFunction, functionEntry } from './bundle.js';
import { CONFIGURATION_ROOT, configurationFiles } from './configuration.js';
import { dockerfiles } from './dockerfile.js';
import { dependencyProblems, lintPayload } from './lint.js';
import { DEFAULT_REGISTRY, STEPS, type Step } from './names.js';
import { collectPayload } from './payload.js';
import { functionPackageRoot, releaseCommands } from './release.js';
import { measureSizes, sizesTable } from './sizes.js';

/**
 * The release tool behind `npm run packages`, `npm run images` and `npm run
 * sizes`, run from anywhere in the repository:
 *   packages [--check] [--registry R]   generate package/configuration and the Dockerfiles, lint every package root
 *   images [--registry R] [--version V] [--push]   build images and packages (prints the commands without docker buildx)
 *   bundle STEP --out DIR               lay out one function as its image's /app (the Dockerfiles run this)
 *   sizes [--json] [--starts N] [--database-url URL]   payload bytes and time to first listen, beside a no-op baseline
 */
const USAGE = 'usage: packaging packages [--check] [--registry R] | images [--registry R] [--version V] [--push] | bundle STEP --out DIR | sizes [--json] [--starts N] [--database-url URL]';

const repo = repoRootFrom(process.cwd()) ?? repoRootFrom(dirname(new URL(import.meta.url).pathname));
if (repo === undefined) fail('cannot find the repository root (a package.json named scia) above the working directory');

function fail(message: string): never {
  process.stderr.write(`packaging: ${message}\n`);
  process.exit(1);
}

function packages(root: string, check: boolean, registry: string): number {
  let problems = 0;
  for (const f of [...configurationFiles(root, registry), ...dockerfiles()]) {
    const path = join(root, f.path);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (current === f.text) continue;
    if (check) {
      process.stdout.write(`${f.path}: out of date (run npm run packages)\n`);
      problems++;
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
      process.stdout.write(`wrote ${f.path}\n`);
    }
  }
  const where = crdDir();
  const validator = where.exists ? createValidator(where.dir) : undefined;
  if (validator === undefined) process.stderr.write(`packaging: not validating against CRDs: none at ${where.dir}\n`);
  else if (!validator.ok) fail(validator.error);
  const roots = [{ root: CONFIGURATION_ROOT, kind: 'Configuration' as const }, ...STEPS.map((s) => ({ root: functionPackageRoot(s), kind: 'Function' as const }))];
  for (const r of roots) {
    const payload = collectPayload({ packageRoot: r.root, examplesRoot: `${r.root}/examples` }, root);
    const meta = payload.documents.find((d) => d.file.endsWith('crossplane.yaml'));
    const found = [...lintPayload(payload, r.kind, validator?.ok === true ? validator.value : undefined), ...dependencyProblems(meta?.value)];
    for (const p of found) process.stdout.write(`${r.root}: ${p}\n`);
    problems += found.length;
  }
  if (problems === 0) process.stdout.write(`packages: ${roots.length} package roots lint clean\n`);
  return problems === 0 ? 0 : 1;
}

function images(root: string, registry: string, version: string, push: boolean): number {
  const commands = releaseCommands({ registry, version, push });
  const buildx = spawnSync('docker', ['buildx', 'version'], { stdio: 'ignore' }).status === 0;
  const crossplane = spawnSync('crossplane', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  if (!buildx || !crossplane) {
    process.stdout.write(`# docker buildx ${buildx ? 'found' : 'not found'}, crossplane ${crossplane ? 'found' : 'not found'}: the commands a release runs:\n`);
    for (const c of commands) process.stdout.write(`${c.map(quote).join(' ')}\n`);
    return 0;
  }
  mkdirSync(join(root, 'dist', 'xpkg'), { recursive: true });
  for (const [cmd = '', ...args] of commands) {
    process.stdout.write(`+ ${[cmd, ...args].map(quote).join(' ')}\n`);
    const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) return r.status ?? 1;
  }
  return 0;
}

const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      check: { type: 'boolean', default: false },
      registry: { type: 'string', default: DEFAULT_REGISTRY },
      version: { type: 'string' },
      push: { type: 'boolean', default: false },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      starts: { type: 'string', default: '3' },
    },
  });
  const root = repo as string;
  const version = values.version ?? `v${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}`;
  switch (command) {
    case 'packages':
      return packages(root, values.check, values.registry);
    case 'images':
      return images(root, values.registry, version, values.push);
    case 'bundle': {
      const step = positionals[0] as Step | undefined;
      if (step === undefined || !STEPS.includes(step) || values.out === undefined) fail(USAGE);
      const b = await bundleFunction({ repo: root, entry: functionEntry(step), outRoot: resolve(values.out) });
      process.stdout.write(`${JSON.stringify({ entry: b.entry, bytes: b.bytes, externals: b.externals })}\n`);
      return 0;
    }
    case 'sizes': {
      const dbUrl = values['database-url'];
      const rows = await measureSizes(root, { starts: Number(values.starts), ...(dbUrl === undefined ? {} : { databaseUrl: dbUrl }) });
      process.stdout.write(values.json ? `${JSON.stringify(rows)}\n` : `${sizesTable(rows)}\n`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
