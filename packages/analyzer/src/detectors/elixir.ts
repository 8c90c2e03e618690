import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { rule, type Detection, type Detector } from './types.js';

const ex = 'elixir';

/** elixir detects Elixir apps from mix.exs. */
export const elixir: Detector = {
  family: 'elixir',
  languages: [{ name: ex, title: 'Elixir' }],
  extensions: ['.ex', '.exs'],
  frameworks: [
    rule({ name: 'phoenix', title: 'Phoenix', language: ex, kind: 'server', deps: ['phoenix'], port: 4000, build: 'mix release', start: 'mix phx.server', rank: 80 }),
    rule({ name: 'plug', title: 'Plug (Cowboy / Bandit)', language: ex, kind: 'server', deps: ['plug_cowboy', 'bandit'], port: 4000, start: 'mix run --no-halt', rank: 50 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('mix.exs')) return undefined;
  const text = (await ctx.text('mix.exs')) ?? '';
  const dependencies = depsFromLines(text, /\{\s*:(?<name>\w+)\s*,\s*(?:"(?<version>[^"]+)")?/, { manifest: 'mix.exs', ecosystem: 'hex' });
  const version = /elixir:\s*"([^"]+)"/.exec(text)?.[1];
  return {
    language: ex,
    ...(version === undefined ? {} : { version }),
    evidence: [ev('mix.exs')],
    packageManager: 'mix',
    dependencies,
    build: { command: 'mix deps.get --only prod && MIX_ENV=prod mix compile', evidence: ev('mix.exs') },
    weight: 10,
  };
}
