import { isObject, type Result } from '@scia/api';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** JsonSchema is one node of a CRD's openAPIV3Schema. */
export type JsonSchema = Record<string, unknown>;

/** CrdVersion is one version of a CRD with its schema. */
export interface CrdVersion {
  name: string;
  served: boolean;
  schema: JsonSchema;
}

/** Crd is what validation needs of a CustomResourceDefinition. */
export interface Crd {
  group: string;
  kind: string;
  plural: string;
  scope: string;
  versions: CrdVersion[];
  file: string;
}


/**
 * CrdIndex finds CRDs in a directory and its immediate subdirectories by
 * group and kind. It reads each file's header cheaply up front and parses the
 * whole CRD only when it is first asked for (a CRD of an AWS kind is megabytes).
 */
export class CrdIndex {
  readonly dir: string;
  readonly #files = new Map<string, string[]>();
  readonly #parsed = new Map<string, Crd[]>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** load indexes the CRD files under `dir`. */
  static load(dir: string): Result<CrdIndex> {
    if (!existsSync(dir)) return { ok: false, error: `cannot load CRDs: directory ${dir} does not exist` };
    const index = new CrdIndex(dir);
    try {
      for (const file of yamlFiles(dir)) index.#addFile(file);
    } catch (err) {
      return { ok: false, error: `cannot load CRDs from ${dir}: ${(err as Error).message}` };
    }
    return { ok: true, value: index };
  }

  /** keys lists every indexed `group/kind`, sorted. */
  keys(): string[] {
    return [...this.#files.keys()].sort();
  }

  /** find returns the CRD of `group` and `kind`, or undefined when none is indexed. */
  find(group: string, kind: string): Result<Crd | undefined> {
    const key = `${group}/${kind}`;
    const files = this.#files.get(key);
    if (files === undefined) return { ok: true, value: undefined };
    for (const file of files) {
      const crds = this.#parse(file);
      if (!crds.ok) return crds;
      const crd = crds.value.find((c) => c.group === group && c.kind === kind);
      if (crd !== undefined) return { ok: true, value: crd };
    }
    return { ok: true, value: undefined };
  }

  #addFile(file: string): void {
    const text = readFileSync(file, 'utf8');
    const header = readHeader(text);
    if (header === 'not-a-crd') return;
    const keys = header === undefined ? this.#keysByParsing(file) : [`${header.group}/${header.kind}`];
    for (const key of keys) this.#files.set(key, [...(this.#files.get(key) ?? []), file]);
  }

  #keysByParsing(file: string): string[] {
    const crds = this.#parse(file);
    return crds.ok ? crds.value.map((c) => `${c.group}/${c.kind}`) : [];
  }

  #parse(file: string): Result<Crd[]> {
    const cached = this.#parsed.get(file);
    if (cached !== undefined) return { ok: true, value: cached };
    try {
      const crds: Crd[] = [];
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const crd = toCrd(doc.toJS() as unknown, file);
        if (crd !== undefined) crds.push(crd);
      }
      this.#parsed.set(file, crds);
      return { ok: true, value: crds };
    } catch (err) {
      return { ok: false, error: `cannot parse CRD file ${file}: ${(err as Error).message}` };
    }
  }
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      for (const sub of readdirSync(path).sort()) if (/\.ya?ml$/.test(sub)) out.push(join(path, sub));
    } else if (/\.ya?ml$/.test(entry)) {
      out.push(path);
    }
  }
  return out;
}

/**
 * readHeader reads group and kind from a single-document CRD as controller-gen
 * writes it (`spec:` then `  group:` and `    kind:` under `  names:`, before
 * `  versions:`). It returns undefined when the text has another shape, so the
 * caller parses the file instead.
 */
function readHeader(text: string): { group: string; kind: string } | 'not-a-crd' | undefined {
  if (!/^kind: *['"]?CustomResourceDefinition['"]? *$/m.test(text)) return 'not-a-crd';
  if (/^---\s*$/m.test(text.replace(/^---\s*\n/, ''))) return undefined;
  const end = text.search(/^ {2}versions:/m);
  const head = end === -1 ? text : text.slice(0, end);
  const group = /^ {2}group: *['"]?([^'"\s]+)/m.exec(head)?.[1];
  const kind = /^ {2}names:\n(?: {4}.*\n)*? {4}kind: *['"]?([^'"\s]+)/m.exec(head)?.[1];
  return group === undefined || kind === undefined ? undefined : { group, kind };
}

function toCrd(doc: unknown, file: string): Crd | undefined {
  if (!isObject(doc) || doc['kind'] !== 'CustomResourceDefinition' || !isObject(doc['spec'])) return undefined;
  const spec = doc['spec'];
  const names = isObject(spec['names']) ? spec['names'] : {};
  const versions: CrdVersion[] = [];
  for (const v of Array.isArray(spec['versions']) ? (spec['versions'] as unknown[]) : []) {
    if (!isObject(v) || typeof v['name'] !== 'string') continue;
    const schema = isObject(v['schema']) && isObject(v['schema']['openAPIV3Schema']) ? v['schema']['openAPIV3Schema'] : {};
    versions.push({ name: v['name'], served: v['served'] === true, schema });
  }
  return {
    group: String(spec['group']),
    kind: String(names['kind']),
    plural: String(names['plural']),
    scope: String(spec['scope']),
    versions,
    file,
  };
}

