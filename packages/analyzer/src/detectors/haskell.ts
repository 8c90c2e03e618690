import { ev, type Ctx } from '../context.js';
import { MAX_LINE } from './deps.js';
import { rule, type Dep, type Detection, type Detector } from './types.js';

const hs = 'haskell';

/** haskell detects Haskell apps from Cabal and hpack manifests. */
export const haskell: Detector = {
  family: 'haskell',
  languages: [{ name: hs, title: 'Haskell' }],
  extensions: ['.hs'],
  frameworks: [
    rule({ name: 'yesod', title: 'Yesod', language: hs, kind: 'server', deps: ['yesod', 'yesod-core'], port: 3000, rank: 70 }),
    rule({ name: 'servant', title: 'Servant', language: hs, kind: 'server', deps: ['servant-server'], port: 8080, rank: 65 }),
    rule({ name: 'scotty', title: 'Scotty', language: hs, kind: 'server', deps: ['scotty'], port: 3000, rank: 60 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const manifest = ctx.glob(/^[^/]+\.cabal$/)[0] ?? (ctx.has('package.yaml') ? 'package.yaml' : undefined);
  if (manifest === undefined) return undefined;
  const text = (await ctx.text(manifest)) ?? '';
  const dependencies: Dep[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.length > MAX_LINE) return;
    // Cabal lists dependencies comma-separated after build-depends; hpack as `- name >= x` items.
    for (const m of line.matchAll(/(?:^|[,:]|-\s)\s*([a-z][\w-]*)\s*(?:[<>=^]=?\s*[\d.]+)?\s*(?=,|$|&)/g)) {
      const name = m[1];
      if (name === undefined || seen.has(name) || /^(build|depends|main|source|default|executable|library|ghc)/.test(name)) continue;
      seen.add(name);
      dependencies.push({ name, ecosystem: 'hackage', manifest, line: i + 1, dev: false });
    }
  });
  const exe = /^executable\s+([\w-]+)/m.exec(text)?.[1] ?? 'app';
  return {
    language: hs,
    evidence: [ev(manifest)],
    packageManager: ctx.has('stack.yaml') ? 'stack' : 'cabal',
    dependencies,
    build: { command: ctx.has('stack.yaml') ? 'stack build --copy-bins' : 'cabal build', evidence: ev(manifest) },
    start: { command: ctx.has('stack.yaml') ? `stack exec ${exe}` : `cabal run ${exe}`, evidence: ev(manifest, undefined, 'executable') },
    weight: 10,
  };
}
