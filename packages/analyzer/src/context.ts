import type { Evidence } from '@scia/api';
import type { FileEntry, FileTree } from './tree/types.js';

/**
 * Ctx is what detectors read through: the tree, cached text reads, manifest
 * parsers that turn invalid JSON/TOML/YAML into warnings, and line lookup for
 * evidence. Nothing read through it is ever executed or interpreted as instructions.
 */
export interface Ctx {
  readonly tree: FileTree;
  readonly files: readonly FileEntry[];
  has(path: string): boolean;
  /** glob returns the paths matching `pattern`, sorted. */
  glob(pattern: RegExp): string[];
  text(path: string): Promise<string | undefined>;
  json(path: string): Promise<unknown>;
  toml(path: string): Promise<unknown>;
  yaml(path: string): Promise<unknown>;
  warn(message: string): void;
  readonly warnings: string[];
}

/** newCtx wraps a tree for one analysis. */
export function newCtx(tree: FileTree): Ctx {
  const files = tree.files();
  const paths = new Set(files.map((f) => f.path));
  const texts = new Map<string, Promise<string | undefined>>();
  const warnings: string[] = [...tree.warnings];
  const warn = (message: string): void => {
    if (!warnings.includes(message)) warnings.push(message);
  };
  const text = (path: string): Promise<string | undefined> => {
    let cached = texts.get(path);
    if (cached === undefined) {
      cached = tree.read(path).then((r) => {
        if (r.ok) return r.text;
        if (r.error === 'too-large') warn(`skipped ${path}: larger than the file size cap`);
        if (r.error === 'binary') warn(`skipped ${path}: binary content`);
        return undefined;
      });
      texts.set(path, cached);
    }
    return cached;
  };
  const parsed = (kind: string, parse: (s: string) => unknown) => async (path: string): Promise<unknown> => {
    const body = await text(path);
    if (body === undefined) return undefined;
    try {
      return await parse(body);
    } catch (err) {
      warn(`cannot parse ${path} as ${kind}: ${firstLine(err)}`);
      return undefined;
    }
  };
  return {
    tree,
    files,
    warnings,
    warn,
    text,
    has: (path) => paths.has(path),
    glob: (pattern) => files.filter((f) => pattern.test(f.path)).map((f) => f.path),
    json: parsed('JSON', (s) => JSON.parse(s) as unknown),
    // The TOML and YAML parsers load with the first manifest of their kind: many repositories have none.
    toml: parsed('TOML', async (s) => (await import('smol-toml')).parse(s)),
    yaml: parsed('YAML', async (s) => (await import('yaml')).parse(s, { maxAliasCount: 50 }) as unknown),
  };
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n')[0] ?? '').slice(0, 120);
}

/** lineOf returns the 1-based line of the first match of `needle` in `text`, if any. */
export function lineOf(text: string, needle: string | RegExp): number | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (typeof needle === 'string' ? line.includes(needle) : needle.test(line)) return i + 1;
  }
  return undefined;
}

/**
 * lineIndex reads `text` once and returns a lookup of the 1-based line where a
 * token first appears: a quoted string with its quotes (`"express"`) or a bare
 * word of name characters (`flask`, `@scope/pkg`, `Flask-SQLAlchemy`). Each
 * lookup is a map read, so finding the lines of n dependencies costs one pass
 * over the manifest, not n.
 */
export function lineIndex(text: string): (token: string) => number | undefined {
  const first = new Map<string, number>();
  const token = /"(?:[^"\\\n]|\\.)*"|[\w@./-]+/g;
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(token)) if (!first.has(m[0])) first.set(m[0], i + 1);
  });
  return (t) => first.get(t);
}

/** ev builds an Evidence, omitting what is unknown. */
export function ev(file: string, line?: number, note?: string): Evidence {
  return { file, ...(line === undefined ? {} : { line }), ...(note === undefined ? {} : { note: note.slice(0, 200) }) };
}


/** str returns `v` when it is a string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** clean makes a repository-supplied string safe to carry as data: one line, no control characters, bounded. */
export function clean(s: string, max = 200): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, max);
}
