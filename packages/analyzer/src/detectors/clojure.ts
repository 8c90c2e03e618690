import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { rule, type Detection, type Detector } from './types.js';

const clj = 'clojure';

/** clojure detects Clojure apps from project.clj (Leiningen) or deps.edn. */
export const clojure: Detector = {
  family: 'clojure',
  languages: [{ name: clj, title: 'Clojure' }],
  extensions: ['.clj', '.cljc', '.edn'],
  frameworks: [
    rule({ name: 'pedestal', title: 'Pedestal', language: clj, kind: 'server', deps: ['io.pedestal/pedestal.service'], port: 8080, rank: 70 }),
    rule({ name: 'compojure', title: 'Compojure', language: clj, kind: 'server', deps: ['compojure', 'compojure/compojure'], port: 3000, rank: 65 }),
    rule({ name: 'reitit', title: 'Reitit', language: clj, kind: 'server', deps: ['metosin/reitit', 'metosin/reitit-ring'], port: 3000, rank: 65 }),
    rule({ name: 'http-kit', title: 'http-kit', language: clj, kind: 'server', deps: ['http-kit', 'http-kit/http-kit'], port: 8080, rank: 55 }),
    rule({ name: 'ring', title: 'Ring', language: clj, kind: 'server', deps: ['ring/ring-core', 'ring/ring-jetty-adapter', 'ring'], port: 3000, rank: 50 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const lein = ctx.has('project.clj');
  if (!lein && !ctx.has('deps.edn')) return undefined;
  const manifest = lein ? 'project.clj' : 'deps.edn';
  const text = (await ctx.text(manifest)) ?? '';
  const pattern = lein ? /\[(?<name>[\w./-]+)\s+"(?<version>[^"]+)"/ : /(?<name>[\w.-]+\/[\w.-]+)\s*\{\s*:mvn\/version\s+"(?<version>[^"]+)"/;
  const dependencies = depsFromLines(text, pattern, { manifest, ecosystem: 'clojars' });
  const main = /:main\s+\^?[:\w-]*\s*([\w.-]+)/.exec(text)?.[1];
  return {
    language: clj,
    evidence: [ev(manifest)],
    packageManager: lein ? 'leiningen' : 'clojure-cli',
    dependencies: dependencies.filter((d) => d.name !== 'org.clojure/clojure'),
    ...(lein ? { build: { command: 'lein uberjar', evidence: ev(manifest) } } : {}),
    start: { command: lein ? 'lein run' : `clojure -M -m ${main ?? 'main'}`, evidence: ev(manifest, undefined, 'build tool') },
    weight: 10,
  };
}
