import { clean, ev, type Ctx } from '../context.js';
import type { Cmd } from '../detectors/types.js';

/** Procfile is the process types of a Procfile, and the web one with its line. */
export interface Procfile {
  processes: Record<string, string>;
  web?: Cmd;
}

/** readProcfile reads `name: command` lines (at most 16 process types). */
export async function readProcfile(ctx: Ctx): Promise<Procfile | undefined> {
  if (!ctx.has('Procfile')) return undefined;
  const text = (await ctx.text('Procfile')) ?? '';
  const processes: Record<string, string> = {};
  let web: Cmd | undefined;
  text.split('\n').forEach((line, i) => {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/.exec(line.trim());
    if (m?.[1] === undefined || m[2] === undefined || Object.keys(processes).length >= 16) return;
    processes[m[1]] = clean(m[2]);
    if (m[1] === 'web') web = { command: clean(m[2]), evidence: ev('Procfile', i + 1, 'web process') };
  });
  return { processes, ...(web === undefined ? {} : { web }) };
}
