import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments, type ParseOptions, type DocumentOptions, type SchemaOptions } from 'yaml';
import { isObject, type Result } from '@scia/api';

/** Result is @scia/api's, how loaders report expected failures. */
export type { Result };

/** JsonObject is a plain JSON object, as Kubernetes manifests are once parsed. */
export type JsonObject = Record<string, unknown>;

/**
 * KUBERNETES_YAML parses as Kubernetes' YAML reader does (YAML 1.1: `yes` and
 * `on` are booleans), except that timestamps stay strings, as they do when
 * Kubernetes decodes a manifest into unstructured JSON.
 */
const KUBERNETES_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  customTags: (tags) => tags.filter((t) => !(typeof t === 'object' && t.tag === 'tag:yaml.org,2002:timestamp')),
};

/** parseYamlStream parses every non-empty document of a YAML stream, naming the first error. */
export function parseYamlStream(text: string): Result<unknown[]> {
  const docs = parseAllDocuments(text, KUBERNETES_YAML);
  if (!Array.isArray(docs)) return { ok: true, value: [] };
  const out: unknown[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) return { ok: false, error: error.message.split('\n')[0] ?? error.message };
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return { ok: true, value: out };
}

/** parseYamlValue parses one YAML (or JSON) value, as `--context-values` and context files hold. */
export function parseYamlValue(text: string): Result<unknown> {
  const parsed = parseYamlStream(text);
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value[0] ?? null };
}

/** readYamlFiles lists the files a path names: the file itself, or a directory's `.yaml`/`.yml` files (not recursive), sorted by name. */
export async function readYamlFiles(fileOrDir: string): Promise<Result<string[]>> {
  let isDir: boolean;
  try {
    isDir = (await stat(fileOrDir)).isDirectory();
  } catch (err) {
    return { ok: false, error: `cannot open file: ${(err as Error).message}` };
  }
  if (!isDir) return { ok: true, value: [fileOrDir] };
  const entries = await readdir(fileOrDir, { withFileTypes: true });
  const files = entries
    .filter((e) => !e.isDirectory() && ['.yaml', '.yml'].includes(extname(e.name)))
    .map((e) => e.name)
    .sort()
    .map((name) => join(fileOrDir, name));
  if (files.length === 0) return { ok: false, error: `no YAML files found in ${JSON.stringify(fileOrDir)} (.yaml or .yml)` };
  return { ok: true, value: files };
}

/** loadYamlStream reads every document from a file, or from each YAML file of a directory in name order. */
export async function loadYamlStream(fileOrDir: string): Promise<Result<unknown[]>> {
  const files = await readYamlFiles(fileOrDir);
  if (!files.ok) return files;
  const out: unknown[] = [];
  for (const file of files.value) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      return { ok: false, error: `cannot open file: ${(err as Error).message}` };
    }
    const docs = parseYamlStream(text);
    if (!docs.ok) return { ok: false, error: `cannot parse YAML stream in ${file}: ${docs.error}` };
    out.push(...docs.value);
  }
  return { ok: true, value: out };
}

/** loadYamlObject reads the first document of a file, which must be a mapping. */
export async function loadYamlObject(file: string): Promise<Result<JsonObject>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read file: ${(err as Error).message}` };
  }
  const docs = parseYamlStream(text);
  if (!docs.ok) return { ok: false, error: `cannot unmarshal YAML: ${docs.error}` };
  const first = docs.value[0] ?? {};
  if (!isObject(first)) return { ok: false, error: 'cannot unmarshal YAML: the document is not a mapping' };
  return { ok: true, value: first };
}

