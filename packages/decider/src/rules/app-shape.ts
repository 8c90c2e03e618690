import { frameworkIn, rule, type Rule } from './rule.js';

const SMALL_API_FRAMEWORKS = ['fastapi', 'express', 'flask', 'koa', 'hono', 'fastify', 'gin', 'echo', 'chi', 'fiber', 'sinatra'];
const FULL_STACK_FRAMEWORKS = ['django', 'rails', 'ruby-on-rails', 'laravel', 'spring', 'symfony', 'phoenix', 'aspnet', 'asp.net'];
const JVM_LANGUAGES = ['java', 'kotlin', 'scala', 'clojure'];

/**
 * APP_SHAPE_RULES are SCIA v1's ten rules: what the shape of the app says about
 * where it runs best.
 */
export const APP_SHAPE_RULES: readonly Rule[] = [
  rule('compose-multi-service', (f) =>
    f.composeServices >= 2
      ? { votes: { kubernetes: 3 }, why: `docker compose defines ${f.composeServices} services` }
      : undefined),
  rule('dockerfile-many-deps', (f) =>
    f.hasDockerfile && f.dependencyCount > 50
      ? { votes: { kubernetes: 2 }, why: `Dockerfile and ${f.dependencyCount} dependencies` }
      : undefined),
  rule('small-api', (f) =>
    frameworkIn(f, SMALL_API_FRAMEWORKS) && f.dependencyCount <= 30
      ? { votes: { serverless: 2 }, why: `small ${f.framework} API (${f.dependencyCount} dependencies)` }
      : undefined),
  rule('full-stack-framework', (f) =>
    frameworkIn(f, FULL_STACK_FRAMEWORKS)
      ? { votes: { vm: 2, serverless: -1 }, why: `${f.framework} is a full-stack framework with a long boot` }
      : undefined),
  rule('static-site', (f) =>
    f.kind === 'static' ? { votes: { serverless: 1, kubernetes: -1 }, why: 'static site: no server to keep running' } : undefined),
  rule('worker-process', (f) =>
    f.kind === 'worker' ? { votes: { vm: 2, serverless: -2 }, why: 'a worker process with no HTTP entry point' } : undefined),
  rule('monorepo-many-apps', (f) =>
    f.monorepoApps >= 2 ? { votes: { kubernetes: 2 }, why: `monorepo with ${f.monorepoApps} apps` } : undefined),
  rule('local-state', (f) =>
    f.stateless === false || f.services.includes('sqlite')
      ? { votes: { vm: 2, serverless: -3 }, why: 'keeps state on local disk' }
      : undefined),
  rule('jvm-cold-start', (f) =>
    JVM_LANGUAGES.includes(f.language) ? { votes: { vm: 1, serverless: -1 }, why: `${f.language} starts slowly on Lambda` } : undefined),
  rule('large-app', (f) =>
    f.dependencyCount > 150 || f.repoBytes > 200 * 1024 * 1024
      ? { votes: { serverless: -2 }, why: 'too large for a Lambda package' }
      : undefined),
];
