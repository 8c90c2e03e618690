import { isObject } from '@scia/api';
import { type Ctx } from '../context.js';

/** Monorepo is a workspace tool and the app directories it holds. */
export interface Monorepo {
  tool: string;
  apps: string[];
}

/** MANIFESTS are the files whose presence makes a directory an app root. */
export const MANIFESTS = [
  'package.json', 'requirements.txt', 'pyproject.toml', 'go.mod', 'Cargo.toml', 'pom.xml', 'build.gradle', 'build.gradle.kts',
  'Gemfile', 'composer.json', 'mix.exs', 'build.sbt', 'deno.json', 'pubspec.yaml', 'Package.swift', 'Dockerfile',
];

/** detectMonorepo names the workspace tool, if any, and every directory (depth 1 to 3) holding its own app manifest. */
export async function detectMonorepo(ctx: Ctx): Promise<Monorepo | undefined> {
  const tool = await workspaceTool(ctx);
  const dirs = new Set<string>();
  for (const f of ctx.files) {
    const parts = f.path.split('/');
    if (parts.length < 2 || parts.length > 4 || !MANIFESTS.includes(parts[parts.length - 1] ?? '')) continue;
    if (parts.some((p) => p.startsWith('.') || p === 'node_modules' || p === 'test' || p === 'tests' || p === 'examples' || p === 'fixtures')) continue;
    dirs.add(parts.slice(0, -1).join('/'));
  }
  const apps = [...dirs].sort();
  if (tool === undefined && apps.length < 2) return undefined;
  return { tool: tool ?? 'directories', apps: apps.slice(0, 32) };
}

async function workspaceTool(ctx: Ctx): Promise<string | undefined> {
  if (ctx.has('pnpm-workspace.yaml')) return 'pnpm';
  if (ctx.has('nx.json')) return 'nx';
  if (ctx.has('turbo.json')) return 'turborepo';
  if (ctx.has('lerna.json')) return 'lerna';
  if (ctx.has('go.work')) return 'go-workspace';
  if (ctx.has('package.json')) {
    const pkg = await ctx.json('package.json');
    if (isObject(pkg) && pkg['workspaces'] !== undefined) return 'npm-workspaces';
  }
  if (ctx.has('Cargo.toml') && /^\[workspace\]/m.test((await ctx.text('Cargo.toml')) ?? '')) return 'cargo-workspace';
  if (ctx.has('settings.gradle') || ctx.has('settings.gradle.kts')) {
    const text = (await ctx.text(ctx.has('settings.gradle') ? 'settings.gradle' : 'settings.gradle.kts')) ?? '';
    if (/^\s*include\b/m.test(text)) return 'gradle-multi-project';
  }
  return undefined;
}
