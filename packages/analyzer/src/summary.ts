import { ANALYSIS_LIMITS, type Analysis, type Dependency, type DockerfileFacts as ApiDockerfile, type Language } from '@scia/api';
import { clean } from './context.js';
import type { Cmd, Dep } from './detectors/types.js';
import type { DockerfileFacts } from './facts/dockerfile.js';
import type { Procfile } from './facts/procfile.js';
import type { Found } from './select.js';

/** kindOf says whether the app serves, is a static site, or works in the background. */
export function kindOf(primary: Found | undefined, procfile: Procfile | undefined, dockerfile: DockerfileFacts | undefined): Analysis['kind'] {
  const best = primary?.matches[0];
  if (best !== undefined) return primary?.detection.kind ?? best.rule.kind;
  if (procfile?.web !== undefined || (dockerfile?.expose.length ?? 0) > 0) return 'server';
  if (procfile !== undefined && Object.keys(procfile.processes).length > 0) return 'worker';
  return 'unknown';
}

/** Pseudo-dependencies stand for facts (a stdlib import, an SDK) and are not reported as dependencies. */
const PSEUDO = /^(std|sdk|site|deno):/;

/** outputDependencies keeps real dependencies, runtime ones first, capped; the count is of all of them. */
export function outputDependencies(deps: readonly Dep[]): { dependencies: Dependency[]; dependencyCount: number } {
  const seen = new Set<string>();
  const real = deps.filter((d) => {
    const key = `${d.ecosystem}:${d.name}`;
    if (PSEUDO.test(d.name) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const ordered = [...real.filter((d) => !d.dev), ...real.filter((d) => d.dev)];
  return {
    dependencyCount: real.length,
    dependencies: ordered.slice(0, ANALYSIS_LIMITS.dependencies).map((d) => ({
      name: clean(d.name, 120),
      ...(d.version === undefined ? {} : { version: clean(d.version, 64) }),
      ecosystem: d.ecosystem,
      manifest: d.manifest,
      dev: d.dev,
    })),
  };
}

const HINT_DEPS: [string, RegExp][] = [
  ['websocket', /^(socket\.io|ws|@nestjs\/websockets|channels|github\.com\/gorilla\/websocket|flask-socketio|actioncable|tokio-tungstenite)$/],
  ['graphql', /^(graphql|@apollo\/server|apollo-server|graphene|strawberry-graphql|ariadne|github\.com\/99designs\/gqlgen|graphql-ruby|async-graphql)$/],
  ['scheduled-jobs', /^(node-cron|cron|apscheduler|django-celery-beat|whenever|github\.com\/robfig\/cron(\/v3)?|rufus-scheduler)$/],
  ['heavy-ml-dependencies', /^(torch|tensorflow|transformers|jax|onnxruntime|@tensorflow\/tfjs-node)$/],
];

/** hintsFor lists short facts later steps may use: static site, background work, websockets, a build step. */
export function hintsFor(f: { found: Found[]; kind: Analysis['kind']; build: Cmd | undefined; dockerfile: boolean; compose: boolean; procfile: Procfile | undefined }): string[] {
  const hints = new Set<string>();
  if (f.kind === 'static') hints.add('static-site');
  if (f.build !== undefined) hints.add('needs-build');
  if (f.dockerfile) hints.add('has-dockerfile');
  if (f.compose) hints.add('has-compose');
  const workers = f.found.some((x) => x.matches.some((m) => m.rule.kind === 'worker'));
  const procWorker = Object.keys(f.procfile?.processes ?? {}).some((k) => k !== 'web' && k !== 'release');
  if (workers || procWorker) hints.add('background-worker');
  for (const [hint, re] of HINT_DEPS) {
    if (f.found.some((x) => x.detection.dependencies.some((d) => re.test(d.name)))) hints.add(hint);
  }
  return [...hints].slice(0, ANALYSIS_LIMITS.hints - 1);
}

/**
 * confidenceOf grades how sure the analysis is: a manifest 0.5, a framework
 * 0.75, plus a port read from the repository and an explicit start command.
 */
export function confidenceOf(c: { primary: Found | undefined; portFound: boolean; start: Cmd | undefined; dockerfile: boolean }): number {
  let score = c.primary === undefined ? (c.dockerfile ? 0.4 : 0.1) : c.primary.matches.length > 0 ? 0.75 : 0.5;
  if (c.portFound) score += 0.1;
  if (c.start !== undefined && c.start.evidence.note?.startsWith('conventional') !== true) score += 0.1;
  return Math.min(0.95, Math.round(score * 100) / 100);
}

/** languagesOf lists each family's language with its version and evidence. */
export function languagesOf(found: readonly Found[]): Language[] {
  return found.map((f) => ({
    name: f.detection.language,
    ...(f.detection.version === undefined ? {} : { version: clean(f.detection.version, 32) }),
    evidence: f.detection.evidence.slice(0, ANALYSIS_LIMITS.evidence),
  }));
}

/** commandsOf sets the build and start commands with their evidence. */
export function commandsOf(build: Cmd | undefined, start: Cmd | undefined): Pick<Analysis, 'buildCommand' | 'startCommand' | 'commandEvidence'> {
  if (build === undefined && start === undefined) return {};
  return {
    ...(build === undefined ? {} : { buildCommand: clean(build.command) }),
    ...(start === undefined ? {} : { startCommand: clean(start.command) }),
    commandEvidence: { ...(build === undefined ? {} : { build: build.evidence }), ...(start === undefined ? {} : { start: start.evidence }) },
  };
}

/** dockerfileOf projects Dockerfile facts onto the Analysis shape (EXPOSE ports without their lines). */
export function dockerfileOf(d: DockerfileFacts): ApiDockerfile {
  return {
    path: d.path,
    ...(d.baseImage === undefined ? {} : { baseImage: d.baseImage }),
    expose: d.expose.map((e) => e.port),
    ...(d.cmd === undefined ? {} : { cmd: d.cmd }),
    ...(d.entrypoint === undefined ? {} : { entrypoint: d.entrypoint }),
    multiStage: d.multiStage,
    stages: d.stages,
  };
}
