import { lineIndex } from '../context.js';
import type { Dep } from './types.js';

/** depsFromRecord reads `{name: version}` maps (package.json, composer.json, pubspec) with each name's line, in one pass over `text`. */
export function depsFromRecord(
  record: unknown,
  opts: { manifest: string; text: string; ecosystem: string; dev: boolean },
): Dep[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return [];
  const lineOf = lineIndex(opts.text);
  return Object.entries(record as Record<string, unknown>).map(([name, v]) => {
    const version = typeof v === 'string' ? v : typeof v === 'object' && v !== null && 'version' in v && typeof v.version === 'string' ? v.version : undefined;
    // JSON quotes its keys; TOML and YAML usually do not.
    const line = lineOf(JSON.stringify(name)) ?? lineOf(name);
    return {
      name,
      ecosystem: opts.ecosystem,
      manifest: opts.manifest,
      dev: opts.dev,
      ...(version === undefined ? {} : { version: version.slice(0, 64) }),
      ...(line === undefined ? {} : { line }),
    };
  });
}

/** MAX_LINE is the longest manifest line read for dependencies. */
export const MAX_LINE = 1000;

/** depsFromLines applies `pattern` (groups: name, optional version) to every line of a manifest. */
export function depsFromLines(text: string, pattern: RegExp, opts: { manifest: string; ecosystem: string; dev?: boolean }): Dep[] {
  const out: Dep[] = [];
  text.split('\n').forEach((line, i) => {
    // Manifest lines are short; a very long one is minified or hostile, and not worth a regex.
    if (line.length > MAX_LINE) return;
    const m = pattern.exec(line);
    const name = m?.groups?.['name'];
    if (name === undefined) return;
    const version = m?.groups?.['version'];
    out.push({
      name,
      ecosystem: opts.ecosystem,
      manifest: opts.manifest,
      dev: opts.dev ?? false,
      line: i + 1,
      ...(version === undefined ? {} : { version: version.slice(0, 64) }),
    });
  });
  return out;
}

/** uniqueDeps keeps the first of each dependency name. */
export function uniqueDeps(deps: Dep[]): Dep[] {
  const seen = new Set<string>();
  return deps.filter((d) => (seen.has(d.name) ? false : (seen.add(d.name), true)));
}
