import { describe, expect, it } from 'vitest';
import { analyzeFiles, facts, lines, pkg, type Case } from './fixtures/repos.js';

const start = { start: 'node server.js' };
const server = (listen: string) => lines("const app = require('x')();", `app.listen(${listen});`);

const cases: Record<string, Case> = {
  express: {
    reason: 'Express with a start script and PORT fallback in code, needing Postgres',
    files: { 'package.json': pkg({ express: '^4.19.0', pg: '^8.11.0' }, { scripts: start }), 'server.js': server('process.env.PORT || 8081') },
    want: { language: 'javascript', framework: 'express', kind: 'server', port: 8081, startCommand: 'npm start', services: ['postgresql'] },
  },
  fastify: {
    reason: 'Fastify on TypeScript with pnpm and Redis',
    files: { 'package.json': pkg({ fastify: '^4.0.0', ioredis: '^5' }, { scripts: { start: 'node dist/index.js' } }), 'tsconfig.json': '{}', 'pnpm-lock.yaml': '', 'src/index.ts': lines('await app.listen({ port: 3001 });') },
    want: { language: 'typescript', framework: 'fastify', kind: 'server', port: 3001, startCommand: 'pnpm run start', services: ['redis'] },
  },
  nestjs: {
    reason: 'NestJS outranks the Express it depends on',
    files: { 'package.json': pkg({ '@nestjs/core': '^10', '@nestjs/platform-express': '^10', express: '^4', mongoose: '^8' }), 'tsconfig.json': '{}' },
    want: { language: 'typescript', framework: 'nestjs', kind: 'server', port: 3000, startCommand: 'node dist/main', services: ['mongodb'] },
  },
  koa: {
    reason: 'Koa with an entry file and no start script',
    files: { 'package.json': pkg({ koa: '^2' }), 'index.js': server('4000') },
    want: { language: 'javascript', framework: 'koa', kind: 'server', port: 4000, startCommand: 'node index.js', services: [] },
  },
  hapi: {
    reason: 'hapi with its port in the server options',
    files: { 'package.json': pkg({ '@hapi/hapi': '^21' }, { scripts: start }), 'server.js': lines("const server = Hapi.server({ port: 3500, host: '0.0.0.0' });") },
    want: { language: 'javascript', framework: 'hapi', kind: 'server', port: 3500, startCommand: 'npm start', services: [] },
  },
  hono: {
    reason: 'Hono on Node',
    files: { 'package.json': pkg({ hono: '^4', '@hono/node-server': '^1' }, { scripts: start }) },
    want: { language: 'javascript', framework: 'hono', kind: 'server', port: 3000, startCommand: 'npm start', services: [] },
  },
  adonisjs: {
    reason: 'AdonisJS with its default port',
    files: { 'package.json': pkg({ '@adonisjs/core': '^6' }), 'tsconfig.json': '{}' },
    want: { language: 'typescript', framework: 'adonisjs', kind: 'server', port: 3333, startCommand: 'node build/bin/server.js', services: [] },
  },
  feathers: {
    reason: 'Feathers with its default port',
    files: { 'package.json': pkg({ '@feathersjs/feathers': '^5', '@feathersjs/koa': '^5', koa: '^2' }, { scripts: start }) },
    want: { language: 'javascript', framework: 'feathers', kind: 'server', port: 3030, startCommand: 'npm start', services: [] },
  },
  strapi: {
    reason: 'Strapi with a Postgres env example',
    files: { 'package.json': pkg({ '@strapi/strapi': '^4' }, { scripts: { start: 'strapi start', build: 'strapi build' } }), '.env.example': lines('DATABASE_CLIENT=postgres', 'DATABASE_URL=postgres://strapi@db/strapi') },
    want: { language: 'javascript', framework: 'strapi', kind: 'server', port: 1337, startCommand: 'npm start', services: ['postgresql'] },
  },
  nextjs: {
    reason: 'Next.js outranks React and uses its start script',
    files: { 'package.json': pkg({ next: '14.2.0', react: '18', 'react-dom': '18' }, { scripts: { build: 'next build', start: 'next start' } }) },
    want: { language: 'javascript', framework: 'nextjs', kind: 'server', port: 3000, startCommand: 'npm start', services: [] },
  },
  'nextjs-export': {
    reason: 'Next.js with output export is a static site',
    files: { 'package.json': pkg({ next: '14.2.0', react: '18' }, { scripts: { build: 'next build' } }), 'next.config.mjs': lines("export default { output: 'export' };") },
    want: { language: 'javascript', framework: 'nextjs', kind: 'static', services: [] },
  },
  nuxt: {
    reason: 'Nuxt runs its built Nitro server',
    files: { 'package.json': pkg({ nuxt: '^3.11' }, { scripts: { build: 'nuxt build' } }) },
    want: { language: 'javascript', framework: 'nuxt', kind: 'server', port: 3000, startCommand: 'node .output/server/index.mjs', services: [] },
  },
  remix: {
    reason: 'Remix with remix-serve',
    files: { 'package.json': pkg({ '@remix-run/node': '^2', '@remix-run/react': '^2', '@remix-run/serve': '^2' }, { scripts: { start: 'remix-serve ./build/index.js' } }) },
    want: { language: 'javascript', framework: 'remix', kind: 'server', port: 3000, startCommand: 'npm start', services: [] },
  },
  'react-router': {
    reason: 'React Router 7 framework mode',
    files: { 'package.json': pkg({ 'react-router': '^7', '@react-router/node': '^7' }, { devDependencies: { '@react-router/dev': '^7' } }) },
    want: { language: 'javascript', framework: 'react-router', kind: 'server', port: 3000, startCommand: 'react-router-serve ./build/server/index.js', services: [] },
  },
  sveltekit: {
    reason: 'SvelteKit with the node adapter serves',
    files: { 'package.json': pkg({}, { devDependencies: { '@sveltejs/kit': '^2', '@sveltejs/adapter-node': '^5', vite: '^5' } }) },
    want: { language: 'javascript', framework: 'sveltekit', kind: 'server', port: 3000, startCommand: 'node build', services: [] },
  },
  'sveltekit-static': {
    reason: 'SvelteKit with adapter-static is a static site',
    files: { 'package.json': pkg({}, { devDependencies: { '@sveltejs/kit': '^2', '@sveltejs/adapter-static': '^3', vite: '^5' } }) },
    want: { language: 'javascript', framework: 'sveltekit', kind: 'static', services: [] },
  },
  solidstart: {
    reason: 'SolidStart',
    files: { 'package.json': pkg({ '@solidjs/start': '^1', 'solid-js': '^1' }) },
    want: { language: 'javascript', framework: 'solidstart', kind: 'server', port: 3000, startCommand: 'node .output/server/index.mjs', services: [] },
  },
  qwik: {
    reason: 'Qwik City (no conventional start command)',
    files: { 'package.json': pkg({}, { devDependencies: { '@builder.io/qwik': '^1', '@builder.io/qwik-city': '^1' } }) },
    want: { language: 'javascript', framework: 'qwik', kind: 'server', port: 3000, services: [] },
  },
  astro: {
    reason: 'Astro builds a static site',
    files: { 'package.json': pkg({ astro: '^4' }, { scripts: { build: 'astro build' } }) },
    want: { language: 'javascript', framework: 'astro', kind: 'static', services: [] },
  },
  gatsby: {
    reason: 'Gatsby builds a static site',
    files: { 'package.json': pkg({ gatsby: '^5', react: '^18' }) },
    want: { language: 'javascript', framework: 'gatsby', kind: 'static', services: [] },
  },
  docusaurus: {
    reason: 'Docusaurus builds a static site',
    files: { 'package.json': pkg({ '@docusaurus/core': '^3', react: '^18' }) },
    want: { language: 'javascript', framework: 'docusaurus', kind: 'static', services: [] },
  },
  eleventy: {
    reason: 'Eleventy builds a static site',
    files: { 'package.json': pkg({}, { devDependencies: { '@11ty/eleventy': '^2' } }) },
    want: { language: 'javascript', framework: 'eleventy', kind: 'static', services: [] },
  },
  vitepress: {
    reason: 'VitePress builds a static site (and outranks Vite)',
    files: { 'package.json': pkg({}, { devDependencies: { vitepress: '^1', vite: '^5' } }) },
    want: { language: 'javascript', framework: 'vuepress', kind: 'static', services: [] },
  },
  angular: {
    reason: 'Angular builds a static SPA',
    files: { 'package.json': pkg({ '@angular/core': '^17', '@angular/common': '^17' }), 'tsconfig.json': '{}', 'angular.json': '{}' },
    want: { language: 'typescript', framework: 'angular', kind: 'static', services: [] },
  },
  ember: {
    reason: 'Ember builds a static SPA',
    files: { 'package.json': pkg({}, { devDependencies: { 'ember-source': '^5', 'ember-cli': '^5' } }) },
    want: { language: 'javascript', framework: 'ember', kind: 'static', services: [] },
  },
  'create-react-app': {
    reason: 'Create React App',
    files: { 'package.json': pkg({ react: '^18', 'react-scripts': '5.0.1' }, { scripts: { start: 'react-scripts start', build: 'react-scripts build' } }) },
    want: { language: 'javascript', framework: 'create-react-app', kind: 'static', startCommand: 'npm start', services: [] },
  },
  'vue-cli': {
    reason: 'Vue CLI',
    files: { 'package.json': pkg({ vue: '^3' }, { devDependencies: { '@vue/cli-service': '^5' } }) },
    want: { language: 'javascript', framework: 'vue-cli', kind: 'static', services: [] },
  },
  vite: {
    reason: 'a Vite SPA with React',
    files: { 'package.json': pkg({ react: '^18' }, { devDependencies: { vite: '^5', '@vitejs/plugin-react': '^4' }, scripts: { build: 'vite build' } }) },
    want: { language: 'javascript', framework: 'vite', kind: 'static', services: [] },
  },
  elysia: {
    reason: 'Elysia on Bun',
    files: { 'package.json': pkg({ elysia: '^1' }), 'bun.lockb': new Uint8Array([0, 1, 2]), 'src/index.ts': lines('new Elysia().get("/", () => "hi").listen(3002);') },
    want: { language: 'typescript', framework: 'elysia', kind: 'server', port: 3002, startCommand: 'bun src/index.ts', services: [] },
  },
  bun: {
    reason: 'a bare Bun.serve app',
    files: { 'package.json': pkg({}), 'bun.lock': '{}', 'index.ts': lines('Bun.serve({ port: 3003, fetch() { return new Response("ok"); } });') },
    want: { language: 'typescript', framework: 'bun', kind: 'server', port: 3003, startCommand: 'bun index.ts', services: [] },
  },
  'node-worker': {
    reason: 'a Node queue consumer with no web framework',
    files: { 'package.json': pkg({ amqplib: '^0.10', kafkajs: '^2' }, { scripts: { start: 'node worker.js' } }), Procfile: lines('worker: node worker.js') },
    want: { language: 'javascript', framework: 'none', kind: 'worker', startCommand: 'npm start', services: ['kafka', 'rabbitmq'] },
  },
};

describe('JavaScript and TypeScript detection', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    expect(facts(await analyzeFiles(c.files)), c.reason).toEqual(c.want);
  });
});
