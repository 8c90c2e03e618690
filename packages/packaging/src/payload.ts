import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { goMatch } from './go-match.js';

/** BuildFlags are the `crossplane xpkg build` flags that decide what a package holds. */
export interface BuildFlags {
  /** packageRoot is `--package-root` (default `.`). */
  packageRoot: string;
  /** examplesRoot is `--examples-root` (default `./examples`), as typed. */
  examplesRoot?: string;
  /** ignore is `--ignore`: patterns relative to the package root. */
  ignore?: string[];
}

/** PayloadDocument is one YAML document of a package, with the file it came from. */
export interface PayloadDocument {
  file: string;
  index: number;
  value: unknown;
}

/** Payload is what a package build reads: its files (relative to cwd) and their documents. */
export interface Payload {
  files: string[];
  documents: PayloadDocument[];
  examples: { files: string[]; documents: PayloadDocument[] };
  errors: string[];
}

/**
 * collectPayload reads what `crossplane xpkg build` packs, from `cwd`: every
 * non-empty `.yaml` or `.yml` file under the package root, walked in lexical
 * order without following symbolic links, minus files whose absolute path
 * matches an `--ignore` pattern joined to the root (Go's filepath.Match: `*`
 * stops at `/`) and files whose path contains the `--examples-root` text;
 * and, separately, the examples: every such file under the examples root
 * (none when it does not exist), the patterns joined to that root.
 */
export function collectPayload(flags: BuildFlags, cwd = process.cwd()): Payload {
  const root = resolve(cwd, flags.packageRoot);
  const examplesAsTyped = flags.examplesRoot ?? './examples';
  const examplesRoot = resolve(cwd, examplesAsTyped);
  const errors: string[] = [];
  // Each walk joins the ignore patterns to its own root, as the builder does.
  const skipUnder = (base: string) => {
    const patterns = (flags.ignore ?? []).map((p) => join(base, p));
    return (path: string): boolean =>
      patterns.some((p) => {
        const m = goMatch(p, path);
        if (!m.ok) errors.push(m.error);
        return m.ok && m.value;
      });
  };
  const skipPackage = skipUnder(root);
  const skipExample = skipUnder(examplesRoot);
  const files = walkYaml(root).filter((f) => !skipPackage(f) && !f.includes(examplesAsTyped));
  const exampleFiles = walkYaml(examplesRoot).filter((f) => !skipExample(f));
  const read = (list: string[]) => readDocuments(list, cwd, errors);
  return {
    files: files.map((f) => relative(cwd, f)),
    documents: read(files),
    examples: { files: exampleFiles.map((f) => relative(cwd, f)), documents: read(exampleFiles) },
    errors,
  };
}

/** walkYaml lists the non-empty YAML files under `dir` in Go's filepath.Walk order; none when it does not exist. */
function walkYaml(dir: string): string[] {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return isYaml(dir) && stat.size > 0 ? [dir] : [];
  const out: string[] = [];
  const names = readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) out.push(...walkYaml(join(dir, name)));
  return out;
}

const isYaml = (path: string): boolean => ['.yaml', '.yml'].includes(extname(path));

function readDocuments(files: string[], cwd: string, errors: string[]): PayloadDocument[] {
  const out: PayloadDocument[] = [];
  for (const file of files) {
    const rel = relative(cwd, file);
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    if (!Array.isArray(docs)) continue;
    docs.forEach((doc, index) => {
      if (doc.errors.length > 0) errors.push(`${rel}: cannot parse document ${index + 1}: ${doc.errors[0]?.message ?? ''}`);
      else if (doc.contents !== null) out.push({ file: rel, index, value: doc.toJS() as unknown });
    });
  }
  return out;
}
