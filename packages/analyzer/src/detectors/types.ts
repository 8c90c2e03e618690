import type { Evidence } from '@scia/api';
import type { Ctx } from '../context.js';

/** Dep is a dependency read from a manifest, with the line that names it. */
export interface Dep {
  name: string;
  version?: string;
  ecosystem: string;
  manifest: string;
  line?: number;
  dev: boolean;
}

/** Cmd is a build or start command and where it came from. */
export interface Cmd {
  command: string;
  evidence: Evidence;
}

export type FrameworkKind = 'server' | 'static' | 'worker';

/**
 * FrameworkRule says how a framework shows itself: any of `deps` among the
 * dependencies, or any of `files` in the tree. `start`/`build`/`port` are its
 * conventional defaults, used only when the repository says nothing more precise.
 */
export interface FrameworkRule {
  name: string;
  title: string;
  language: string;
  kind: FrameworkKind;
  deps?: readonly string[];
  files?: readonly RegExp[];
  port?: number;
  /** start and build are templates; the first whose `{placeholders}` all have values is used. */
  start?: string | readonly string[];
  build?: string | readonly string[];
  /** rank orders frameworks found together: the higher one is the app's framework (Next.js over React). */
  rank: number;
}

/** Detection is what one detector family found in a tree. */
export interface Detection {
  language: string;
  version?: string;
  evidence: Evidence[];
  packageManager?: string;
  dependencies: Dep[];
  build?: Cmd;
  start?: Cmd;
  /** weight says how strongly the tree belongs to this family: a root manifest weighs more than stray files. */
  weight: number;
  /** kind overrides the framework's kind when the manifest says better (a static export of Next.js). */
  kind?: FrameworkKind;
  hints?: string[];
  /** vars fill the placeholders of framework commands, e.g. `{module}` in `gunicorn {module}:app`. */
  vars?: Record<string, string>;
}

/** LanguageInfo names a language a family detects, for the README and the tests. */
export interface LanguageInfo {
  name: string;
  title: string;
}

/** Detector is one family: the languages it knows, its framework rules, and how it reads manifests. */
export interface Detector {
  family: string;
  languages: readonly LanguageInfo[];
  frameworks: readonly FrameworkRule[];
  /** extensions are the source file extensions of the family, used for port scanning and fallback. */
  extensions: readonly string[];
  detect(ctx: Ctx): Promise<Detection | undefined>;
}

/** rule is shorthand for a FrameworkRule with rank 50 unless given. */
export function rule(r: Omit<FrameworkRule, 'rank'> & { rank?: number }): FrameworkRule {
  return { rank: 50, ...r };
}
