import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { rule, type Dep, type Detection, type Detector } from './types.js';

const java = 'java';
const kotlin = 'kotlin';

/** jvm detects Java and Kotlin apps from Maven and Gradle builds. */
export const jvm: Detector = {
  family: 'jvm',
  languages: [
    { name: java, title: 'Java' },
    { name: kotlin, title: 'Kotlin' },
  ],
  extensions: ['.java', '.kt'],
  frameworks: [
    rule({ name: 'spring-boot', title: 'Spring Boot', language: java, kind: 'server', deps: ['org.springframework.boot:*'], port: 8080, start: 'java -jar {jar}', rank: 70 }),
    rule({ name: 'quarkus', title: 'Quarkus', language: java, kind: 'server', deps: ['io.quarkus:*', 'io.quarkus.platform:*'], port: 8080, start: 'java -jar {quarkusJar}', rank: 70 }),
    rule({ name: 'micronaut', title: 'Micronaut', language: java, kind: 'server', deps: ['io.micronaut:*', 'io.micronaut.platform:*', 'io.micronaut.application:*'], port: 8080, start: 'java -jar {jar}', rank: 70 }),
    rule({ name: 'ktor', title: 'Ktor', language: kotlin, kind: 'server', deps: ['io.ktor:*', 'io.ktor.plugin:*'], port: 8080, start: 'java -jar {jar}', rank: 70 }),
    rule({ name: 'helidon', title: 'Helidon', language: java, kind: 'server', deps: ['io.helidon.webserver:*', 'io.helidon:*'], port: 8080, start: 'java -jar {jar}', rank: 65 }),
    rule({ name: 'dropwizard', title: 'Dropwizard', language: java, kind: 'server', deps: ['io.dropwizard:*'], port: 8080, start: 'java -jar {jar} server config.yml', rank: 65 }),
    rule({ name: 'vertx', title: 'Vert.x', language: java, kind: 'server', deps: ['io.vertx:*'], port: 8080, start: 'java -jar {jar}', rank: 60 }),
    rule({ name: 'javalin', title: 'Javalin', language: java, kind: 'server', deps: ['io.javalin:*'], port: 7070, start: 'java -jar {jar}', rank: 60 }),
  ],
  detect,
};

const GRADLE_FILES = ['build.gradle.kts', 'build.gradle'];

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const gradle = GRADLE_FILES.find((f) => ctx.has(f));
  const maven = ctx.has('pom.xml');
  if (gradle === undefined && !maven) return undefined;
  const dependencies = [...(maven ? await pomDeps(ctx) : []), ...(gradle === undefined ? [] : await gradleDeps(ctx, gradle))];
  const isKotlin = ctx.glob(/^src\/main\/kotlin\//).length > 0 || dependencies.some((d) => d.name.startsWith('org.jetbrains.kotlin:'));
  const wrapper = ctx.has('gradlew') ? './gradlew' : 'gradle';
  const manifest = maven ? 'pom.xml' : (gradle ?? 'build.gradle');
  const version = await javaVersion(ctx, manifest);
  return {
    language: isKotlin ? kotlin : java,
    ...(version === undefined ? {} : { version }),
    evidence: [ev(manifest)],
    packageManager: maven ? 'maven' : 'gradle',
    dependencies,
    build: { command: maven ? (ctx.has('mvnw') ? './mvnw -B package -DskipTests' : 'mvn -B package -DskipTests') : `${wrapper} build -x test`, evidence: ev(manifest, undefined, 'build tool') },
    vars: {
      jar: maven ? 'target/*.jar' : 'build/libs/*.jar',
      quarkusJar: maven ? 'target/quarkus-app/quarkus-run.jar' : 'build/quarkus-app/quarkus-run.jar',
    },
    weight: 10,
  };
}

async function pomDeps(ctx: Ctx): Promise<Dep[]> {
  const text = (await ctx.text('pom.xml')) ?? '';
  const out: Dep[] = [];
  const lines = text.split('\n');
  // Maven coordinates span lines: pair each artifactId with the groupId seen just before it.
  let group: string | undefined;
  lines.forEach((line, i) => {
    const g = /<groupId>\s*([^<\s]+)\s*<\/groupId>/.exec(line)?.[1];
    if (g !== undefined) group = g;
    const a = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(line)?.[1];
    if (a !== undefined && group !== undefined) {
      out.push({ name: `${group}:${a}`, ecosystem: 'maven', manifest: 'pom.xml', line: i + 1, dev: false });
      group = undefined;
    }
  });
  if (!/<project[\s>]/.test(text)) ctx.warn('cannot parse pom.xml as XML: no <project> element');
  return out;
}

async function gradleDeps(ctx: Ctx, manifest: string): Promise<Dep[]> {
  const text = (await ctx.text(manifest)) ?? '';
  const coords = depsFromLines(text, /["'(](?<name>[\w.-]+:[\w.-]+)(?::(?<version>[\w.-]+))?["')]/, { manifest, ecosystem: 'maven' });
  const plugins = depsFromLines(text, /id\s*\(?\s*["'](?<name>org\.springframework\.boot|io\.quarkus|io\.micronaut\.application|io\.ktor\.plugin|org\.jetbrains\.kotlin\.[\w.]+)["']\s*\)?(?:\s*version\s*["'](?<version>[\w.-]+)["'])?/, { manifest, ecosystem: 'maven' });
  const kotlinPlugin = depsFromLines(text, /kotlin\s*\(\s*["'](?<name>jvm)["']\s*\)/, { manifest, ecosystem: 'maven' });
  return [
    ...coords,
    ...plugins.map((d) => ({ ...d, name: `${d.name}:plugin` })),
    ...kotlinPlugin.map((d) => ({ ...d, name: 'org.jetbrains.kotlin:jvm' })),
  ];
}

async function javaVersion(ctx: Ctx, manifest: string): Promise<string | undefined> {
  const text = (await ctx.text(manifest)) ?? '';
  return /<(?:java\.version|maven\.compiler\.release)>\s*(\d+)\s*</.exec(text)?.[1] ?? /(?:JavaVersion\.VERSION_|languageVersion\.set\(JavaLanguageVersion\.of\(|jvmToolchain\()(\d+)/.exec(text)?.[1];
}
