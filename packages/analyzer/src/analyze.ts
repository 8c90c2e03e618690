import { ANALYSIS_LIMITS, Analysis, type Evidence } from '@scia/api';
import { clean, ev, newCtx, type Ctx } from './context.js';
import { DETECTORS } from './detectors/index.js';
import type { Cmd, Detector } from './detectors/types.js';
import { readCompose } from './facts/compose.js';
import { readDockerfile } from './facts/dockerfile.js';
import { detectMonorepo, type Monorepo } from './facts/monorepo.js';
import { portsIn, scanPorts, type PortFinding } from './facts/ports.js';
import { readProcfile } from './facts/procfile.js';
import { inferServices } from './facts/services.js';
import { detectAll, fill, type Found } from './select.js';
import { commandsOf, confidenceOf, dockerfileOf, hintsFor, kindOf, languagesOf, outputDependencies } from './summary.js';
import { subTree } from './tree/sub-tree.js';
import type { FileTree } from './tree/types.js';

/** AnalyzeOptions names what is analysed: the repository, the commit its tree is at, and an optional app directory. */
export interface AnalyzeOptions {
  url: string;
  commit: string;
  ref?: string;
  path?: string;
}

/**
 * analyze reads a tree and returns its Analysis. It is pure over the tree: no
 * network, nothing executed, the same tree gives the same Analysis. With no
 * `path`, a monorepo whose root is no app is analysed at its first app, named
 * in `monorepo.analyzed`.
 */
export async function analyze(tree: FileTree, opts: AnalyzeOptions, detectors: readonly Detector[] = DETECTORS): Promise<Analysis> {
  const root = opts.path === undefined ? tree : subTree(tree, opts.path);
  const rootCtx = newCtx(root);
  const monorepo = await detectMonorepo(rootCtx);
  let ctx = rootCtx;
  let found = await detectAll(ctx, detectors);
  let analyzed: string | undefined;
  if (opts.path === undefined && monorepo !== undefined && (found[0]?.matches.length ?? 0) === 0) {
    const app = await pickApp(root, monorepo, detectors);
    if (app !== undefined) [ctx, found, analyzed] = [app.ctx, app.found, app.path];
  }
  const analysis = await describe(ctx, found, detectors);
  const warnings = [...rootCtx.warnings, ...(ctx === rootCtx ? [] : ctx.warnings), ...analysis.warnings];
  if (found.length === 0 && analysis.dockerfile === undefined) warnings.push('found no recognisable app: no manifest of a known language or framework');
  return Analysis.parse({
    ...analysis,
    url: opts.url,
    commit: opts.commit,
    ...(opts.ref === undefined ? {} : { ref: opts.ref }),
    ...(opts.path === undefined ? {} : { path: opts.path }),
    ...(monorepo === undefined ? {} : { monorepo: { ...monorepo, ...(analyzed === undefined ? {} : { analyzed }) } }),
    hints: [...analysis.hints, ...(monorepo === undefined ? [] : ['monorepo'])].slice(0, ANALYSIS_LIMITS.hints),
    size: { files: tree.files().length, bytes: tree.files().reduce((n, f) => n + f.size, 0) },
    warnings: [...new Set(warnings)].map((w) => clean(w)).slice(0, ANALYSIS_LIMITS.warnings),
  });
}

/** pickApp chooses the first app of a monorepo with a server framework, else the first with any framework. */
async function pickApp(tree: FileTree, monorepo: Monorepo, detectors: readonly Detector[]): Promise<{ ctx: Ctx; found: Found[]; path: string } | undefined> {
  let fallback: { ctx: Ctx; found: Found[]; path: string } | undefined;
  for (const path of monorepo.apps) {
    const ctx = newCtx(subTree(tree, path));
    const found = await detectAll(ctx, detectors);
    const best = found[0]?.matches[0];
    if (best?.rule.kind === 'server') return { ctx, found, path };
    if (best !== undefined) fallback ??= { ctx, found, path };
  }
  return fallback;
}

type Described = Omit<Analysis, 'url' | 'commit' | 'ref' | 'path' | 'monorepo' | 'size' | 'resolvedAt'>;

async function describe(ctx: Ctx, found: Found[], detectors: readonly Detector[]): Promise<Described> {
  const primary = found[0];
  const best = primary?.matches[0];
  const dockerfile = await readDockerfile(ctx);
  const compose = await readCompose(ctx);
  const procfile = await readProcfile(ctx);
  const explicit = procfile?.web ?? primary?.detection.start;
  const declared = await declaredPorts(ctx, { found, start: explicit, dockerfile, compose });
  const kind = kindOf(primary, procfile, dockerfile);
  const defaultPort = kind === 'static' ? undefined : best?.rule.port;
  const port = declared[0]?.port ?? defaultPort;
  const vars = { ...primary?.detection.vars, ...(port === undefined ? {} : { port: String(port) }) };
  // A static site is served from its build output: its framework's server command is no start command.
  const conventional = kind === 'static' ? undefined : ruleCmd(best?.rule.start, vars, best?.evidence[0], best?.rule.title);
  const start = explicit ?? conventional ?? dockerCmd(dockerfile);
  const build = primary?.detection.build ?? ruleCmd(best?.rule.build, vars, best?.evidence[0], best?.rule.title);
  const ports = withDefault(declared, defaultPort === undefined || best === undefined ? undefined : { port: defaultPort, evidence: { ...(best.evidence[0] ?? ev('.')), note: `default port of ${best.rule.title}` } });
  const deps = found.flatMap((f) => f.detection.dependencies);
  const services = await inferServices(ctx, deps, compose);
  const { dependencies, dependencyCount } = outputDependencies(deps);
  const frameworks = found.flatMap((f) => f.matches.map((m) => ({ name: m.rule.name, language: f.detection.language, evidence: m.evidence })));
  return {
    language: primary?.detection.language ?? fallbackLanguage(ctx, detectors),
    languages: dedupe(languagesOf(found)).slice(0, ANALYSIS_LIMITS.languages),
    framework: best?.rule.name ?? 'none',
    frameworks: dedupe(frameworks).slice(0, ANALYSIS_LIMITS.frameworks),
    ...(primary?.detection.packageManager === undefined ? {} : { packageManager: primary.detection.packageManager }),
    dependencies,
    dependencyCount,
    ...commandsOf(build, start),
    ...(ports[0] === undefined ? {} : { port: ports[0].port }),
    ports,
    ...(dockerfile === undefined ? {} : { dockerfile: dockerfileOf(dockerfile) }),
    compose: (compose?.services ?? []).map((s) => ({ name: s.name, ...(s.image === undefined ? {} : { image: s.image }), build: s.build, ports: s.ports })),
    procfile: procfile?.processes ?? {},
    services: services.slice(0, ANALYSIS_LIMITS.services),
    kind,
    stateless: !services.some((s) => s.kind === 'sqlite') && dockerfile?.volumes !== true,
    hints: hintsFor({ found, kind, build, dockerfile: dockerfile !== undefined, compose: compose !== undefined, procfile }),
    confidence: confidenceOf({ primary, portFound: ports.some((p) => p.evidence.note?.startsWith('default') !== true), start, dockerfile: dockerfile !== undefined }),
    warnings: [...ctx.warnings],
  };
}

function ruleCmd(templates: string | readonly string[] | undefined, vars: Record<string, string>, at: Evidence | undefined, title: string | undefined): Cmd | undefined {
  const list: readonly string[] = typeof templates === 'string' ? [templates] : (templates ?? []);
  const command = list.map((t) => fill(t, vars)).find((c) => c !== undefined);
  return command === undefined || at === undefined ? undefined : { command, evidence: { ...at, note: `conventional for ${title ?? 'the framework'}` } };
}

function dockerCmd(d: Awaited<ReturnType<typeof readDockerfile>>): Cmd | undefined {
  const command = [d?.entrypoint, d?.cmd].filter((c) => c !== undefined).join(' ');
  return d === undefined || command === '' ? undefined : { command, evidence: ev(d.path, undefined, 'CMD/ENTRYPOINT') };
}

interface PortInputs {
  found: Found[];
  start: Cmd | undefined;
  dockerfile: Awaited<ReturnType<typeof readDockerfile>>;
  compose: Awaited<ReturnType<typeof readCompose>>;
}

/** declaredPorts lists the ports the repository states, most direct first: EXPOSE, the start command, code and config, compose. */
async function declaredPorts(ctx: Ctx, p: PortInputs): Promise<PortFinding[]> {
  const primary = p.found[0];
  const start = p.start;
  return [
    ...(p.dockerfile?.expose ?? []),
    ...(start === undefined ? [] : portsIn(start.command, start.evidence.file).map((f) => ({ ...f, evidence: { ...start.evidence, note: 'start command' } }))),
    ...(primary === undefined ? [] : await scanPorts(ctx, primary.detector.extensions)),
    ...(p.compose?.services ?? []).filter((s) => s.build).flatMap((s) => s.ports.map((port) => ({ port, evidence: ev(p.compose?.path ?? 'compose.yaml', s.line, `compose service ${s.name}`) }))),
  ];
}

/** withDefault appends the framework's default port and keeps the first finding of each port, capped. */
function withDefault(declared: PortFinding[], fallback: PortFinding | undefined): PortFinding[] {
  const seen = new Set<number>();
  const all = fallback === undefined ? declared : [...declared, fallback];
  return all.filter((f) => (seen.has(f.port) ? false : (seen.add(f.port), true))).slice(0, ANALYSIS_LIMITS.ports);
}

function dedupe<T extends { name: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.name) ? false : (seen.add(i.name), true)));
}

/** fallbackLanguage guesses a language from source file extensions when no manifest says it. */
function fallbackLanguage(ctx: Ctx, detectors: readonly Detector[]): string {
  let bestName = 'unknown';
  let bestCount = 0;
  for (const d of detectors) {
    const count = ctx.files.filter((f) => d.extensions.some((e) => f.path.endsWith(e))).length;
    if (count > bestCount && d.languages[0] !== undefined) [bestName, bestCount] = [d.languages[0].name, count];
  }
  return bestName;
}
