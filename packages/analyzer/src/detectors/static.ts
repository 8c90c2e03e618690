import { ev, type Ctx } from '../context.js';
import { rule, type Detection, type Detector } from './types.js';

const html = 'html';

/** staticSites detects Hugo and Zola sites and plain HTML trees. */
export const staticSites: Detector = {
  family: 'static',
  languages: [{ name: html, title: 'HTML (static sites)' }],
  extensions: ['.html'],
  frameworks: [
    rule({ name: 'hugo', title: 'Hugo', language: html, kind: 'static', deps: ['site:hugo'], build: 'hugo --minify', rank: 80 }),
    rule({ name: 'zola', title: 'Zola', language: html, kind: 'static', deps: ['site:zola'], build: 'zola build', rank: 80 }),
    rule({ name: 'static-html', title: 'Plain HTML', language: html, kind: 'static', files: [/^(public\/|site\/|docs\/)?index\.html?$/], rank: 1 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const hugo = ['hugo.toml', 'hugo.yaml', 'hugo.json'].find((f) => ctx.has(f)) ?? (await configWith(ctx, 'config.toml', /baseURL/, ['layouts/', 'archetypes/', 'themes/']));
  if (hugo !== undefined) return site('site:hugo', hugo);
  const zola = await configWith(ctx, 'config.toml', /base_url/, ['templates/']);
  if (zola !== undefined) return site('site:zola', zola);
  const index = ['index.html', 'index.htm', 'public/index.html'].find((f) => ctx.has(f));
  if (index === undefined) return undefined;
  return { language: html, evidence: [ev(index)], dependencies: [], weight: 2 };
}

function site(marker: string, file: string): Detection {
  return { language: html, evidence: [ev(file)], dependencies: [{ name: marker, ecosystem: 'site', manifest: file, line: 1, dev: false }], weight: 9 };
}

async function configWith(ctx: Ctx, file: string, key: RegExp, dirs: string[]): Promise<string | undefined> {
  if (!ctx.has(file)) return undefined;
  const hasDir = ctx.files.some((f) => dirs.some((d) => f.path.startsWith(d)));
  if (!hasDir) return undefined;
  const text = (await ctx.text(file)) ?? '';
  return key.test(text) ? file : undefined;
}
