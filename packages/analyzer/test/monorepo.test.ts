import { describe, expect, it } from 'vitest';
import type { Analysis } from '@scia/api';
import type { MemoryFiles } from '@scia/analyzer';
import { analyzeFiles, gomod, lines, pkg } from './fixtures/repos.js';

type Layout = Pick<Analysis, 'language' | 'framework' | 'monorepo'> & { path?: string; port?: number };

function layout(a: Analysis): Layout {
  return { language: a.language, framework: a.framework, monorepo: a.monorepo, ...(a.path === undefined ? {} : { path: a.path }), ...(a.port === undefined ? {} : { port: a.port }) };
}

const workspace: MemoryFiles = {
  'package.json': pkg({}, { private: true, workspaces: ['apps/*', 'packages/*'], devDependencies: { turbo: '^2' } }),
  'turbo.json': '{}',
  'apps/web/package.json': pkg({ next: '14' }),
  'apps/api/package.json': pkg({ fastify: '^4', pg: '^8' }),
  'apps/api/src/index.ts': 'app.listen({ port: 4001 })',
  'packages/ui/package.json': pkg({ react: '18' }),
};

const cases: Record<string, { reason: string; files: MemoryFiles; path?: string; want: Layout }> = {
  'npm-workspaces': {
    reason: 'a workspace root with no app of its own is analysed at its first server app',
    files: workspace,
    want: { language: 'typescript', framework: 'fastify', monorepo: { tool: 'turborepo', apps: ['apps/api', 'apps/web', 'packages/ui'], analyzed: 'apps/api' }, port: 4001 },
  },
  'explicit-path': {
    reason: 'spec.repository.path chooses the app',
    files: workspace,
    path: 'apps/web',
    want: { language: 'javascript', framework: 'nextjs', monorepo: undefined, path: 'apps/web', port: 3000 },
  },
  'pnpm-static-only': {
    reason: 'with no server app, the first app with a framework is analysed',
    files: { 'pnpm-workspace.yaml': lines('packages:', '  - sites/*'), 'package.json': pkg({}), 'sites/docs/package.json': pkg({ '@docusaurus/core': '^3' }), 'sites/blog/package.json': pkg({ astro: '^4' }) },
    want: { language: 'javascript', framework: 'astro', monorepo: { tool: 'pnpm', apps: ['sites/blog', 'sites/docs'], analyzed: 'sites/blog' } },
  },
  'polyglot-directories': {
    reason: 'several apps in several languages without a workspace tool',
    files: { 'services/billing/go.mod': gomod('github.com/gin-gonic/gin'), 'services/web/requirements.txt': 'django\n', 'README.md': '# platform' },
    want: { language: 'go', framework: 'gin', monorepo: { tool: 'directories', apps: ['services/billing', 'services/web'], analyzed: 'services/billing' }, port: 8080 },
  },
  'go-workspace-root-app': {
    reason: 'a root that is itself an app is analysed at the root, the layout still reported',
    files: { 'go.work': 'go 1.22\nuse ./cmd/a\n', 'go.mod': gomod('github.com/labstack/echo/v4'), 'tools/gen/go.mod': gomod() },
    want: { language: 'go', framework: 'echo', monorepo: { tool: 'go-workspace', apps: ['tools/gen'] }, port: 1323 },
  },
};

describe('monorepos', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    expect(layout(await analyzeFiles(c.files, c.path)), c.reason).toEqual(c.want);
  });
});
