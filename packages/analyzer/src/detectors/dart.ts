import { isObject } from '@scia/api';
import { ev, str, type Ctx } from '../context.js';
import { depsFromRecord } from './deps.js';
import { rule, type Detection, type Detector } from './types.js';

const dt = 'dart';

/** dart detects Dart apps (and Flutter web) from pubspec.yaml. */
export const dart: Detector = {
  family: 'dart',
  languages: [{ name: dt, title: 'Dart' }],
  extensions: ['.dart'],
  frameworks: [
    rule({ name: 'flutter-web', title: 'Flutter (web)', language: dt, kind: 'static', deps: ['flutter'], build: 'flutter build web', rank: 70 }),
    rule({ name: 'dart-frog', title: 'Dart Frog', language: dt, kind: 'server', deps: ['dart_frog'], port: 8080, build: 'dart_frog build', start: 'dart build/bin/server.dart', rank: 65 }),
    rule({ name: 'shelf', title: 'Shelf', language: dt, kind: 'server', deps: ['shelf'], port: 8080, build: 'dart compile exe {main} -o bin/server', start: 'bin/server', rank: 55 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('pubspec.yaml')) return undefined;
  const text = (await ctx.text('pubspec.yaml')) ?? '';
  const doc = await ctx.yaml('pubspec.yaml');
  const rec = isObject(doc) ? doc : {};
  const opts = { manifest: 'pubspec.yaml', text, ecosystem: 'pub' };
  const dependencies = [...depsFromRecord(rec['dependencies'], { ...opts, dev: false }), ...depsFromRecord(rec['dev_dependencies'], { ...opts, dev: true })];
  const env = isObject(rec['environment']) ? rec['environment'] : {};
  const version = str(env['sdk']);
  const main = ['bin/server.dart', 'bin/main.dart'].find((f) => ctx.has(f)) ?? 'bin/server.dart';
  return {
    language: dt,
    ...(version === undefined ? {} : { version }),
    evidence: [ev('pubspec.yaml')],
    packageManager: 'pub',
    dependencies,
    vars: { main },
    weight: 10,
  };
}
