import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { dotVersion } from './node.js';
import { rule, type Detection, type Detector } from './types.js';

const rb = 'ruby';

/** ruby detects Ruby apps from the Gemfile. */
export const ruby: Detector = {
  family: 'ruby',
  languages: [{ name: rb, title: 'Ruby' }],
  extensions: ['.rb', '.ru'],
  frameworks: [
    rule({ name: 'rails', title: 'Ruby on Rails', language: rb, kind: 'server', deps: ['rails', 'railties'], port: 3000, build: 'bundle exec rails assets:precompile', start: 'bundle exec rails server -b 0.0.0.0 -p {port}', rank: 80 }),
    rule({ name: 'hanami', title: 'Hanami', language: rb, kind: 'server', deps: ['hanami'], port: 2300, start: 'bundle exec hanami server', rank: 75 }),
    rule({ name: 'jekyll', title: 'Jekyll', language: rb, kind: 'static', deps: ['jekyll', 'github-pages'], files: [/^_config\.ya?ml$/], build: 'bundle exec jekyll build', rank: 70 }),
    rule({ name: 'sinatra', title: 'Sinatra', language: rb, kind: 'server', deps: ['sinatra'], port: 4567, start: 'bundle exec ruby {file}', rank: 60 }),
    rule({ name: 'roda', title: 'Roda', language: rb, kind: 'server', deps: ['roda'], port: 9292, start: 'bundle exec rackup -o 0.0.0.0', rank: 60 }),
    rule({ name: 'sidekiq', title: 'Sidekiq (worker)', language: rb, kind: 'worker', deps: ['sidekiq'], start: 'bundle exec sidekiq', rank: 10 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('Gemfile')) return undefined;
  const text = (await ctx.text('Gemfile')) ?? '';
  const dependencies = depsFromLines(text, /^\s*gem\s+['"](?<name>[\w.-]+)['"](?:\s*,\s*['"](?<version>[^'"]+)['"])?/, { manifest: 'Gemfile', ecosystem: 'rubygems' });
  const version = (await dotVersion(ctx, '.ruby-version')) ?? /^\s*ruby\s+['"]([^'"]+)['"]/m.exec(text)?.[1];
  const file = ['app.rb', 'server.rb', 'main.rb'].find((f) => ctx.has(f));
  return {
    language: rb,
    ...(version === undefined ? {} : { version }),
    evidence: [ev('Gemfile')],
    packageManager: 'bundler',
    dependencies,
    vars: file === undefined ? {} : { file },
    weight: 10,
  };
}
