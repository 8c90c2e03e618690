import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, String(x)]));

/** SUPPORTED are the kustomization fields this resolver builds; any other is refused rather than ignored. */
const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'configMapGenerator', 'generatorOptions']);

/**
 * kustomizeBuild builds the kustomization in `dir` as `kubectl kustomize` does
 * for the subset deploy/ uses: `resources` (files, and directories holding a
 * kustomization, built in turn), `configMapGenerator` (`files` as `key=path`
 * or `path`, `literals`, `namespace`, `options.labels`) and `generatorOptions`
 * (`labels`, `disableNameSuffixHash: true`). A field or option outside it is an
 * error naming it, so a kustomization this cannot build faithfully fails here
 * instead of validating the wrong objects. It lets the deploy kit be checked
 * where there is no kubectl; where there is, a test compares the two builds.
 */
export function kustomizeBuild(dir: string): Obj[] {
  const k = obj(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')));
  const unknown = Object.keys(k).filter((f) => !SUPPORTED.has(f));
  if (unknown.length > 0) throw new Error(`cannot build ${dir}: kustomization field ${unknown.join(', ')} is not supported here`);
  const out: Obj[] = [];
  for (const r of arr(k['resources']).map(String)) {
    const path = join(dir, r);
    if (statSync(path).isDirectory()) out.push(...kustomizeBuild(path));
    else out.push(...parseAllDocuments(readFileSync(path, 'utf8')).map((d) => obj(d.toJS())).filter((o) => Object.keys(o).length > 0));
  }
  const options = obj(k['generatorOptions']);
  const badOption = Object.keys(options).find((o) => o !== 'labels' && o !== 'disableNameSuffixHash');
  if (badOption !== undefined || (options['disableNameSuffixHash'] !== undefined && options['disableNameSuffixHash'] !== true)) {
    throw new Error(`cannot build ${dir}: generatorOptions.${badOption ?? 'disableNameSuffixHash'} is not supported here (name suffix hashes are not computed)`);
  }
  for (const g of arr(k['configMapGenerator']).map(obj)) out.push(configMap(dir, g, options));
  return out;
}

function configMap(dir: string, g: Obj, options: Obj): Obj {
  const unknown = Object.keys(g).filter((f) => !['name', 'namespace', 'files', 'literals', 'options'].includes(f));
  const opts = obj(g['options']);
  if (unknown.length > 0 || Object.keys(opts).some((o) => o !== 'labels')) throw new Error(`cannot build ${dir}: configMapGenerator ${String(g['name'])}: ${[...unknown, ...Object.keys(opts)].join(', ')} not supported here`);
  if (options['disableNameSuffixHash'] !== true) throw new Error(`cannot build ${dir}: configMapGenerator ${String(g['name'])} needs generatorOptions.disableNameSuffixHash (name suffix hashes are not computed here)`);
  const data: Record<string, string> = {};
  for (const f of arr(g['files']).map(String)) {
    const [key, path] = f.includes('=') ? [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] : [basename(f), f];
    data[key] = readFileSync(join(dir, path), 'utf8');
  }
  for (const l of arr(g['literals']).map(String)) data[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
  const labels = { ...strings(options['labels']), ...strings(opts['labels']) };
  const namespace = typeof g['namespace'] === 'string' ? g['namespace'] : undefined;
  const metadata = { name: String(g['name']), ...(namespace === undefined ? {} : { namespace }), ...(Object.keys(labels).length === 0 ? {} : { labels }) };
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}
