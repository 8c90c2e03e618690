import { ev, type Ctx } from '../context.js';
import { MAX_LINE } from './deps.js';
import { rule, type Dep, type Detection, type Detector } from './types.js';

const rl = 'r';

/** rLang detects R web apps (Shiny, Plumber) from their entry scripts and DESCRIPTION. */
export const rLang: Detector = {
  family: 'r',
  languages: [{ name: rl, title: 'R' }],
  extensions: ['.R', '.r'],
  frameworks: [
    rule({ name: 'shiny', title: 'Shiny', language: rl, kind: 'server', deps: ['shiny'], port: 3838, start: `R -e "shiny::runApp('.', host='0.0.0.0', port={port})"`, rank: 65 }),
    rule({ name: 'plumber', title: 'Plumber', language: rl, kind: 'server', deps: ['plumber'], port: 8000, start: `R -e "plumber::pr_run(plumber::pr('{file}'), host='0.0.0.0', port={port})"`, rank: 60 }),
  ],
  detect,
};

const ENTRIES = ['app.R', 'server.R', 'plumber.R', 'DESCRIPTION', 'renv.lock'];

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const found = ENTRIES.filter((f) => ctx.has(f));
  if (found.length === 0) return undefined;
  const dependencies: Dep[] = [];
  for (const file of found.filter((f) => f.endsWith('.R') || f === 'DESCRIPTION')) {
    const text = (await ctx.text(file)) ?? '';
    text.split('\n').forEach((line, i) => {
      if (line.length > MAX_LINE) return;
      for (const m of line.matchAll(/(?:library|require)\(\s*['"]?(\w+)['"]?\s*\)|#\*\s*@(get|post)|^\s*(?:Imports|Depends):\s*(\w+)/g)) {
        const name = m[1] ?? (m[2] === undefined ? m[3] : 'plumber');
        if (name !== undefined && !dependencies.some((d) => d.name === name)) dependencies.push({ name, ecosystem: 'cran', manifest: file, line: i + 1, dev: false });
      }
    });
  }
  const file = ['plumber.R', 'app.R'].find((f) => ctx.has(f)) ?? 'app.R';
  return {
    language: rl,
    evidence: [ev(found[0] ?? 'app.R')],
    packageManager: ctx.has('renv.lock') ? 'renv' : 'cran',
    dependencies,
    vars: { file },
    weight: 8,
  };
}
