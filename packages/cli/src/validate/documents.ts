import { isObject } from '@scia/api';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Validator } from '@scia/schemas';
import { isMetaPackage, validateMetaPackage } from './meta.js';
import type { XrSchemas } from './xr-schemas.js';

/** Problem is one thing wrong with one document. */
export interface Problem {
  file: string;
  /** document is the 1-based position of the document in its file. */
  document: number;
  kind: string;
  name: string;
  field: string;
  message: string;
}

/** Report is what `scia validate` found. */
export interface Report {
  files: number;
  documents: number;
  problems: Problem[];
  /** skipped lists CEL rules that could not be evaluated here. */
  skipped: string[];
}

/** Checkers are what documents are validated with. */
export interface Checkers {
  crossplane: Validator;
  xr: XrSchemas;
}

/**
 * EXPECT_PROBLEMS marks a document that is wrong on purpose (an example of an
 * invalid claim): it is a problem only when it validates.
 */
export const EXPECT_PROBLEMS = 'validate.scia.io/expect-problems';

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.scia']);

/**
 * collectFiles expands `paths` (files or directories, relative to `cwd`) to the
 * YAML files under them, sorted. Sample application trees (examples/apps) are
 * not Crossplane documents and are skipped. Paths that do not exist are returned apart.
 */
export async function collectFiles(paths: string[], cwd: string): Promise<{ files: string[]; missing: string[] }> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (info === undefined) missing.push(p);
    else if (info.isDirectory()) for (const f of await walk(abs)) files.add(f);
    else files.add(abs);
  }
  return { files: [...files].sort(), missing };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sampleApps = entry.name === 'apps' && basename(dir) === 'examples';
      if (!SKIP_DIRS.has(entry.name) && !sampleApps) out.push(...(await walk(path)));
    } else if (/\.ya?ml$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** validateFile validates every document of one YAML file. */
export async function validateFile(path: string, cwd: string, checkers: Checkers, report: Report): Promise<void> {
  const file = relative(cwd, path) || basename(path);
  report.files++;
  const text = await readFile(path, 'utf8');
  const docs = parseAllDocuments(text);
  let index = 0;
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    index++;
    const at = { file, document: index };
    if (doc.errors.length > 0) {
      report.problems.push({ ...at, kind: '?', name: '?', field: '(root)', message: `cannot parse YAML: ${doc.errors[0]?.message ?? ''}` });
      continue;
    }
    const obj: unknown = doc.toJS();
    if (obj === null || obj === undefined) continue;
    report.documents++;
    report.problems.push(...validateDocument(obj, at, checkers, report.skipped));
  }
}

function validateDocument(obj: unknown, at: { file: string; document: number }, checkers: Checkers, skipped: string[]): Problem[] {
  if (!isObject(obj) || typeof obj['apiVersion'] !== 'string' || typeof obj['kind'] !== 'string') {
    return [{ ...at, kind: '?', name: `#${at.document}`, field: '(root)', message: 'a document needs string apiVersion and kind' }];
  }
  const label = { kind: obj['kind'], name: nameOf(obj, at.document) };
  const errors = errorsOf(obj, obj['apiVersion'], obj['kind'], checkers, skipped);
  const problems = errors.map((e) => ({ ...at, ...label, ...splitError(e) }));
  if (annotation(obj, EXPECT_PROBLEMS) !== 'true') return problems;
  return problems.length > 0 ? [] : [{ ...at, ...label, field: '(root)', message: `validates, but is marked ${EXPECT_PROBLEMS}` }];
}

function errorsOf(obj: Record<string, unknown>, apiVersion: string, kind: string, checkers: Checkers, skipped: string[]): string[] {
  // crossplane render's own documents (kind Result, Context) have no CRD.
  if (apiVersion.startsWith('render.crossplane.io/')) return [];
  if (isMetaPackage(apiVersion)) return validateMetaPackage(obj);
  if (checkers.xr.handles(apiVersion, kind)) return checkers.xr.validate(obj);
  // A Secret (the required resources of an example) has no CRD: its data must be base64 text.
  if (apiVersion === 'v1' && kind === 'Secret') return secretErrors(obj);
  const result = checkers.crossplane.validate(obj);
  skipped.push(...result.skipped);
  return result.ok ? [] : result.errors;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function secretErrors(obj: Record<string, unknown>): string[] {
  const meta = obj['metadata'];
  const named = isObject(meta) && typeof meta['name'] === 'string' && meta['name'] !== '' ? [] : ['metadata.name: Required value'];
  const data = isObject(obj['data']) ? obj['data'] : {};
  const bad = Object.entries(data).filter(([, v]) => typeof v !== 'string' || v.length % 4 !== 0 || !BASE64.test(v));
  return [...named, ...bad.map(([k]) => `data.${k}: must be base64`)];
}

/** splitError splits `field.path: message` at the first separator. */
function splitError(error: string): { field: string; message: string } {
  const i = error.indexOf(': ');
  return i === -1 ? { field: '(root)', message: error } : { field: error.slice(0, i), message: error.slice(i + 2) };
}

function nameOf(obj: Record<string, unknown>, document: number): string {
  const meta = obj['metadata'];
  if (isObject(meta)) {
    if (typeof meta['name'] === 'string') return meta['name'];
    if (typeof meta['generateName'] === 'string') return meta['generateName'];
    const composition = annotationOf(meta, 'crossplane.io/composition-resource-name');
    if (composition !== undefined) return composition;
  }
  return `#${document}`;
}

function annotation(obj: Record<string, unknown>, key: string): string | undefined {
  const meta = obj['metadata'];
  return isObject(meta) ? annotationOf(meta, key) : undefined;
}

function annotationOf(meta: Record<string, unknown>, key: string): string | undefined {
  const annotations = meta['annotations'];
  const value = isObject(annotations) ? annotations[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}


/** defaultPaths are what `scia validate` checks when given no paths, relative to `cwd`. */
export async function defaultPaths(cwd: string): Promise<string[]> {
  const functions = await readdir(join(cwd, 'functions'), { withFileTypes: true }).catch(() => []);
  const packages = functions
    .filter((d) => d.isDirectory())
    .map((d) => join('functions', d.name, 'package', 'crossplane.yaml'))
    .sort();
  const existing = await Promise.all(packages.map(async (p) => ((await stat(join(cwd, p)).catch(() => undefined)) ? p : undefined)));
  return ['xrds', 'compositions', 'package', ...existing.filter((p) => p !== undefined), 'examples'];
}
