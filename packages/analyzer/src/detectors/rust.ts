import { isObject } from '@scia/api';
import { ev, str, type Ctx } from '../context.js';
import { depsFromRecord } from './deps.js';
import { dotVersion } from './node.js';
import { rule, type Detection, type Detector } from './types.js';

const rs = 'rust';
const build = 'cargo build --release';
const start = './target/release/{bin}';

/** rust detects Rust apps from Cargo.toml. */
export const rust: Detector = {
  family: 'rust',
  languages: [{ name: rs, title: 'Rust' }],
  extensions: ['.rs'],
  frameworks: [
    rule({ name: 'actix-web', title: 'Actix Web', language: rs, kind: 'server', deps: ['actix-web'], port: 8080, build, start, rank: 60 }),
    rule({ name: 'axum', title: 'Axum', language: rs, kind: 'server', deps: ['axum'], port: 3000, build, start, rank: 60 }),
    rule({ name: 'rocket', title: 'Rocket', language: rs, kind: 'server', deps: ['rocket'], port: 8000, build, start, rank: 60 }),
    rule({ name: 'warp', title: 'warp', language: rs, kind: 'server', deps: ['warp'], port: 3030, build, start, rank: 58 }),
    rule({ name: 'poem', title: 'Poem', language: rs, kind: 'server', deps: ['poem'], port: 3000, build, start, rank: 58 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('Cargo.toml')) return undefined;
  const text = (await ctx.text('Cargo.toml')) ?? '';
  const doc = await ctx.toml('Cargo.toml');
  const rec = isObject(doc) ? doc : {};
  const opts = { manifest: 'Cargo.toml', text, ecosystem: 'crates' };
  const dependencies = [...depsFromRecord(rec['dependencies'], { ...opts, dev: false }), ...depsFromRecord(rec['dev-dependencies'], { ...opts, dev: true })];
  const pkg = isObject(rec['package']) ? rec['package'] : {};
  const bin = str(pkg['name']);
  const version = (await dotVersion(ctx, 'rust-toolchain')) ?? str(pkg['rust-version']);
  return {
    language: rs,
    ...(version === undefined ? {} : { version }),
    evidence: [ev('Cargo.toml')],
    packageManager: 'cargo',
    dependencies,
    vars: bin === undefined ? {} : { bin },
    weight: 10,
  };
}
