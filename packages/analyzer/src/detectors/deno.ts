import { isObject } from '@scia/api';
import { ev, lineIndex, lineOf, type Ctx } from '../context.js';
import { rule, type Dep, type Detection, type Detector } from './types.js';

const ts = 'typescript';

/** deno detects Deno apps from deno.json(c) and their imports. */
export const deno: Detector = {
  family: 'deno',
  languages: [{ name: ts, title: 'TypeScript' }],
  extensions: ['.ts', '.tsx', '.js'],
  frameworks: [
    rule({ name: 'fresh', title: 'Fresh (Deno)', language: ts, kind: 'server', deps: ['$fresh/', '@fresh/core', 'fresh'], port: 8000, build: 'deno task build', start: 'deno run -A main.ts', rank: 70 }),
    rule({ name: 'oak', title: 'Oak (Deno)', language: ts, kind: 'server', deps: ['@oak/oak', 'oak'], port: 8000, start: 'deno run --allow-net {main}', rank: 60 }),
    rule({ name: 'deno', title: 'Deno (Deno.serve)', language: ts, kind: 'server', deps: ['deno:serve'], port: 8000, start: 'deno run --allow-net {main}', rank: 5 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const manifest = ['deno.json', 'deno.jsonc'].find((f) => ctx.has(f));
  if (manifest === undefined) return undefined;
  const text = (await ctx.text(manifest)) ?? '';
  const doc = manifest === 'deno.jsonc' ? jsonc(ctx, manifest, text) : await ctx.json(manifest);
  const rec = isObject(doc) ? doc : {};
  const imports = isObject(rec['imports']) ? rec['imports'] : {};
  const lineOfKey = lineIndex(text);
  const dependencies: Dep[] = Object.entries(imports).map(([name, target]) => {
    const line = lineOfKey(JSON.stringify(name));
    const specifier = typeof target === 'string' ? target : '';
    const pkg = /^(?:jsr:|npm:)?(@?[\w.-]+(?:\/[\w.-]+)?)@?([\w.^~-]*)/.exec(specifier);
    return { name: name.endsWith('/') ? name : (pkg?.[1] ?? name), ecosystem: 'deno', manifest, dev: false, ...(pkg?.[2] ? { version: pkg[2] } : {}), ...(line === undefined ? {} : { line }) };
  });
  const main = ['main.ts', 'server.ts', 'mod.ts', 'src/main.ts'].find((f) => ctx.has(f));
  const source = main === undefined ? '' : ((await ctx.text(main)) ?? '');
  const serveLine = lineOf(source, 'Deno.serve');
  if (main !== undefined && serveLine !== undefined) dependencies.push({ name: 'deno:serve', ecosystem: 'deno', manifest: main, line: serveLine, dev: false });
  const tasks = isObject(rec['tasks']) ? rec['tasks'] : {};
  return {
    language: ts,
    evidence: [ev(manifest)],
    packageManager: 'deno',
    dependencies,
    ...(typeof tasks['start'] === 'string' ? { start: { command: 'deno task start', evidence: ev(manifest, lineOf(text, '"start"'), 'tasks.start') } } : {}),
    vars: { main: main ?? 'main.ts' },
    weight: 11,
  };
}

/** jsonc parses JSON with comments by blanking `//` and block comments outside strings. */
function jsonc(ctx: Ctx, manifest: string, text: string): unknown {
  const stripped = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, quoted: string | undefined) => quoted ?? '');
  try {
    return JSON.parse(stripped) as unknown;
  } catch (err) {
    ctx.warn(`cannot parse ${manifest} as JSON: ${err instanceof Error ? err.message.slice(0, 120) : 'invalid'}`);
    return undefined;
  }
}
