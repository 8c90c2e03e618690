import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { rule, type Detection, type Detector } from './types.js';

const sc = 'scala';

/** scala detects Scala apps from build.sbt (and Play from its sbt plugin). */
export const scala: Detector = {
  family: 'scala',
  languages: [{ name: sc, title: 'Scala' }],
  extensions: ['.scala', '.conf'],
  frameworks: [
    rule({ name: 'play', title: 'Play Framework', language: sc, kind: 'server', deps: ['org.playframework:sbt-plugin', 'com.typesafe.play:sbt-plugin'], port: 9000, build: 'sbt stage', start: 'target/universal/stage/bin/{name}', rank: 75 }),
    rule({ name: 'akka-http', title: 'Akka HTTP / Pekko HTTP', language: sc, kind: 'server', deps: ['com.typesafe.akka:akka-http', 'org.apache.pekko:pekko-http'], port: 8080, build: 'sbt assembly', start: 'sbt run', rank: 60 }),
    rule({ name: 'http4s', title: 'http4s', language: sc, kind: 'server', deps: ['org.http4s:http4s-ember-server', 'org.http4s:http4s-blaze-server', 'org.http4s:http4s-dsl'], port: 8080, build: 'sbt assembly', start: 'sbt run', rank: 60 }),
    rule({ name: 'zio-http', title: 'ZIO HTTP', language: sc, kind: 'server', deps: ['dev.zio:zio-http'], port: 8080, build: 'sbt assembly', start: 'sbt run', rank: 60 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('build.sbt')) return undefined;
  const text = (await ctx.text('build.sbt')) ?? '';
  const pattern = /"(?<name>[\w.-]+"\s*%%?%?\s*"[\w.-]+)"\s*%\s*"?(?<version>[\w.-]+)?/;
  const deps = depsFromLines(text, pattern, { manifest: 'build.sbt', ecosystem: 'maven' });
  const plugins = ctx.has('project/plugins.sbt') ? depsFromLines((await ctx.text('project/plugins.sbt')) ?? '', pattern, { manifest: 'project/plugins.sbt', ecosystem: 'maven' }) : [];
  const version = /scalaVersion\s*:=\s*"([^"]+)"/.exec(text)?.[1];
  const name = /\bname\s*:=\s*"([\w.-]+)"/.exec(text)?.[1];
  return {
    language: sc,
    ...(version === undefined ? {} : { version }),
    evidence: [ev('build.sbt')],
    packageManager: 'sbt',
    // Coordinates are read as `group" %% "artifact` and named `group:artifact`, as Maven's are.
    dependencies: [...deps, ...plugins].map((d) => ({ ...d, name: d.name.replace(/"\s*%%?%?\s*"/, ':') })),
    vars: name === undefined ? {} : { name },
    weight: 10,
  };
}
