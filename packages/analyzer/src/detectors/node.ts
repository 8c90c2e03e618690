import { isObject } from '@scia/api';
import { ev, lineOf, str, type Ctx } from '../context.js';
import { depsFromRecord } from './deps.js';
import { rule, type Cmd, type Detection, type Detector } from './types.js';

const js = 'javascript';

/** node detects JavaScript and TypeScript apps from package.json, on Node.js or Bun. */
export const node: Detector = {
  family: 'node',
  languages: [
    { name: 'javascript', title: 'JavaScript' },
    { name: 'typescript', title: 'TypeScript' },
  ],
  extensions: ['.js', '.mjs', '.cjs', '.ts', '.mts', '.jsx', '.tsx'],
  frameworks: [
    rule({ name: 'nextjs', title: 'Next.js', language: js, kind: 'server', deps: ['next'], port: 3000, build: 'next build', start: 'next start', rank: 90 }),
    rule({ name: 'nuxt', title: 'Nuxt', language: js, kind: 'server', deps: ['nuxt'], port: 3000, build: 'nuxt build', start: 'node .output/server/index.mjs', rank: 90 }),
    rule({ name: 'remix', title: 'Remix', language: js, kind: 'server', deps: ['@remix-run/node', '@remix-run/serve', '@remix-run/react'], port: 3000, build: 'remix build', start: 'remix-serve build/index.js', rank: 90 }),
    rule({ name: 'react-router', title: 'React Router (framework mode)', language: js, kind: 'server', deps: ['@react-router/dev'], port: 3000, build: 'react-router build', start: 'react-router-serve ./build/server/index.js', rank: 89 }),
    rule({ name: 'sveltekit', title: 'SvelteKit', language: js, kind: 'server', deps: ['@sveltejs/kit'], port: 3000, build: 'vite build', start: 'node build', rank: 90 }),
    rule({ name: 'solidstart', title: 'SolidStart', language: js, kind: 'server', deps: ['@solidjs/start'], port: 3000, build: 'vinxi build', start: 'node .output/server/index.mjs', rank: 88 }),
    rule({ name: 'qwik', title: 'Qwik City', language: js, kind: 'server', deps: ['@builder.io/qwik-city'], port: 3000, build: 'qwik build', rank: 88 }),
    rule({ name: 'astro', title: 'Astro', language: js, kind: 'static', deps: ['astro'], port: 4321, build: 'astro build', rank: 85 }),
    rule({ name: 'gatsby', title: 'Gatsby', language: js, kind: 'static', deps: ['gatsby'], build: 'gatsby build', rank: 85 }),
    rule({ name: 'docusaurus', title: 'Docusaurus', language: js, kind: 'static', deps: ['@docusaurus/core'], build: 'docusaurus build', rank: 85 }),
    rule({ name: 'eleventy', title: 'Eleventy', language: js, kind: 'static', deps: ['@11ty/eleventy'], build: 'eleventy', rank: 85 }),
    rule({ name: 'vuepress', title: 'VuePress / VitePress', language: js, kind: 'static', deps: ['vuepress', 'vitepress'], build: 'vitepress build', rank: 84 }),
    rule({ name: 'angular', title: 'Angular', language: js, kind: 'static', deps: ['@angular/core'], port: 4200, build: 'ng build', rank: 80 }),
    rule({ name: 'strapi', title: 'Strapi', language: js, kind: 'server', deps: ['@strapi/strapi'], port: 1337, build: 'strapi build', start: 'strapi start', rank: 80 }),
    rule({ name: 'ember', title: 'Ember.js', language: js, kind: 'static', deps: ['ember-source'], build: 'ember build --environment=production', rank: 78 }),
    rule({ name: 'create-react-app', title: 'Create React App', language: js, kind: 'static', deps: ['react-scripts'], build: 'react-scripts build', rank: 75 }),
    rule({ name: 'vue-cli', title: 'Vue CLI', language: js, kind: 'static', deps: ['@vue/cli-service'], build: 'vue-cli-service build', rank: 75 }),
    rule({ name: 'nestjs', title: 'NestJS', language: js, kind: 'server', deps: ['@nestjs/core'], port: 3000, build: 'nest build', start: 'node dist/main', rank: 70 }),
    rule({ name: 'adonisjs', title: 'AdonisJS', language: js, kind: 'server', deps: ['@adonisjs/core'], port: 3333, build: 'node ace build', start: 'node build/bin/server.js', rank: 70 }),
    rule({ name: 'feathers', title: 'Feathers', language: js, kind: 'server', deps: ['@feathersjs/feathers'], port: 3030, rank: 65 }),
    rule({ name: 'fastify', title: 'Fastify', language: js, kind: 'server', deps: ['fastify'], port: 3000, rank: 61 }),
    rule({ name: 'express', title: 'Express', language: js, kind: 'server', deps: ['express'], port: 3000, rank: 60 }),
    rule({ name: 'koa', title: 'Koa', language: js, kind: 'server', deps: ['koa'], port: 3000, rank: 60 }),
    rule({ name: 'hapi', title: 'hapi', language: js, kind: 'server', deps: ['@hapi/hapi'], port: 3000, rank: 60 }),
    rule({ name: 'hono', title: 'Hono', language: js, kind: 'server', deps: ['hono'], port: 3000, rank: 60 }),
    rule({ name: 'elysia', title: 'Elysia (Bun)', language: js, kind: 'server', deps: ['elysia'], port: 3000, start: 'bun {main}', rank: 62 }),
    rule({ name: 'vite', title: 'Vite SPA', language: js, kind: 'static', deps: ['vite'], port: 5173, build: 'vite build', rank: 40 }),
    rule({ name: 'bun', title: 'Bun (Bun.serve)', language: js, kind: 'server', files: [/^bun\.lockb?$/, /^bunfig\.toml$/], port: 3000, start: 'bun {main}', rank: 5 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('package.json')) return undefined;
  const text = (await ctx.text('package.json')) ?? '';
  const pkg = await ctx.json('package.json');
  const evidence = [ev('package.json', 1)];
  if (!isObject(pkg)) return { language: js, evidence, dependencies: [], weight: 6 };
  const opts = { manifest: 'package.json', text, ecosystem: 'npm' };
  const dependencies = [
    ...depsFromRecord(pkg['dependencies'], { ...opts, dev: false }),
    ...depsFromRecord(pkg['devDependencies'], { ...opts, dev: true }),
  ];
  const pm = packageManager(ctx, str(pkg['packageManager']));
  const scripts = isObject(pkg['scripts']) ? pkg['scripts'] : {};
  const main = mainFile(ctx, str(pkg['main']));
  const ts = ctx.has('tsconfig.json') || dependencies.some((d) => d.name === 'typescript') || /\.[mc]?tsx?$/.test(main ?? '');
  const version = nodeVersion(pkg) ?? (await dotVersion(ctx, '.nvmrc'));
  const staticExport = dependencies.some((d) => d.name === '@sveltejs/adapter-static') || (await nextExport(ctx));
  const build = script(scripts, 'build', pm, text);
  const start = script(scripts, 'start', pm, text) ?? (main === undefined ? undefined : { command: `${pm === 'bun' ? 'bun' : 'node'} ${main}`, evidence: ev(main, undefined, 'entry file') });
  return {
    language: ts ? 'typescript' : js,
    ...(version === undefined ? {} : { version }),
    evidence: ts ? [...evidence, ev(ctx.has('tsconfig.json') ? 'tsconfig.json' : 'package.json')] : evidence,
    packageManager: pm,
    dependencies,
    ...(build === undefined ? {} : { build }),
    ...(start === undefined ? {} : { start }),
    ...(staticExport ? { kind: 'static' as const } : {}),
    vars: main === undefined ? {} : { main },
    weight: 10,
  };
}

function packageManager(ctx: Ctx, declared: string | undefined): string {
  if (declared !== undefined) return declared.split('@')[0] ?? 'npm';
  if (ctx.has('bun.lockb') || ctx.has('bun.lock')) return 'bun';
  if (ctx.has('pnpm-lock.yaml')) return 'pnpm';
  if (ctx.has('yarn.lock')) return 'yarn';
  return 'npm';
}

function script(scripts: Record<string, unknown>, name: string, pm: string, text: string): Cmd | undefined {
  if (typeof scripts[name] !== 'string') return undefined;
  const command = pm === 'npm' ? (name === 'start' ? 'npm start' : `npm run ${name}`) : `${pm} run ${name}`;
  return { command, evidence: ev('package.json', lineOf(text, `"${name}"`), `scripts.${name}`) };
}

function mainFile(ctx: Ctx, declared: string | undefined): string | undefined {
  const candidates = [declared, 'server.js', 'index.js', 'app.js', 'main.js', 'src/index.ts', 'src/server.ts', 'index.ts', 'server.ts'];
  return candidates.find((c): c is string => c !== undefined && ctx.has(c.replace(/^\.\//, '')))?.replace(/^\.\//, '');
}

function nodeVersion(pkg: Record<string, unknown>): string | undefined {
  const engines = pkg['engines'];
  return isObject(engines) ? str(engines['node'])?.slice(0, 32) : undefined;
}

/** dotVersion reads a one-line version file such as .nvmrc or .python-version. */
export async function dotVersion(ctx: Ctx, path: string): Promise<string | undefined> {
  if (!ctx.has(path)) return undefined;
  const v = (await ctx.text(path))?.trim().split('\n')[0]?.trim();
  return v === undefined || v === '' ? undefined : v.slice(0, 32);
}

async function nextExport(ctx: Ctx): Promise<boolean> {
  for (const f of ['next.config.js', 'next.config.mjs', 'next.config.ts']) {
    const t = ctx.has(f) ? await ctx.text(f) : undefined;
    if (t !== undefined && /output\s*:\s*['"]export['"]/.test(t)) return true;
  }
  return false;
}
