import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { rule, type Detection, type Detector } from './types.js';

const sw = 'swift';

/** swift detects server-side Swift apps from Package.swift. */
export const swift: Detector = {
  family: 'swift',
  languages: [{ name: sw, title: 'Swift' }],
  extensions: ['.swift'],
  frameworks: [
    rule({ name: 'vapor', title: 'Vapor', language: sw, kind: 'server', deps: ['vapor'], port: 8080, build: 'swift build -c release', start: '.build/release/{product} serve --hostname 0.0.0.0 --port {port}', rank: 70 }),
    rule({ name: 'hummingbird', title: 'Hummingbird', language: sw, kind: 'server', deps: ['hummingbird'], port: 8080, build: 'swift build -c release', start: '.build/release/{product}', rank: 65 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('Package.swift')) return undefined;
  const text = (await ctx.text('Package.swift')) ?? '';
  const dependencies = depsFromLines(text, /\.package\s*\(\s*url:\s*"[^"]*\/(?<name>[\w.-]+?)(?:\.git)?"\s*,\s*(?:from:\s*"(?<version>[^"]+)")?/, { manifest: 'Package.swift', ecosystem: 'swiftpm' });
  const version = /swift-tools-version:\s*([\d.]+)/.exec(text)?.[1];
  const product = /\.executableTarget\s*\(\s*name:\s*"([\w-]+)"/.exec(text)?.[1] ?? 'App';
  return {
    language: sw,
    ...(version === undefined ? {} : { version }),
    evidence: [ev('Package.swift')],
    packageManager: 'swiftpm',
    dependencies: dependencies.map((d) => ({ ...d, name: d.name.toLowerCase() })),
    vars: { product },
    weight: 10,
  };
}
