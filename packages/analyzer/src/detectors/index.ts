import { clojure } from './clojure.js';
import { crystal } from './crystal.js';
import { dart } from './dart.js';
import { deno } from './deno.js';
import { dotnet } from './dotnet.js';
import { elixir } from './elixir.js';
import { golang } from './go.js';
import { haskell } from './haskell.js';
import { jvm } from './jvm.js';
import { native } from './native.js';
import { node } from './node.js';
import { phpApps } from './php.js';
import { python } from './python.js';
import { rLang } from './r.js';
import { ruby } from './ruby.js';
import { rust } from './rust.js';
import { scala } from './scala.js';
import { staticSites } from './static.js';
import { swift } from './swift.js';
import type { Detector, FrameworkRule, LanguageInfo } from './types.js';

export type { Cmd, Dep, Detection, Detector, FrameworkKind, FrameworkRule, LanguageInfo } from './types.js';

/**
 * DETECTORS is the table of detector families, one file each. Order breaks ties
 * between families of equal weight (Deno before Node for a tree with both).
 */
export const DETECTORS: readonly Detector[] = [
  deno, node, python, golang, jvm, ruby, phpApps, rust, dotnet, elixir, scala, clojure, dart, swift, haskell, native, crystal, rLang, staticSites,
];

/** supportedLanguages lists every language the table detects, deduplicated, in table order. */
export function supportedLanguages(detectors: readonly Detector[] = DETECTORS): LanguageInfo[] {
  const out = new Map<string, LanguageInfo>();
  for (const d of detectors) for (const l of d.languages) if (!out.has(l.name)) out.set(l.name, l);
  return [...out.values()];
}

/** supportedFrameworks lists every framework rule of the table, with its family. */
export function supportedFrameworks(detectors: readonly Detector[] = DETECTORS): (FrameworkRule & { family: string })[] {
  return detectors.flatMap((d) => d.frameworks.map((f) => ({ ...f, family: d.family })));
}
