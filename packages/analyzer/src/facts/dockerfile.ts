import type { Evidence } from '@scia/api';
import { clean, ev, type Ctx } from '../context.js';

/** DockerfileFacts is what a Dockerfile says, with the line of each EXPOSE. */
export interface DockerfileFacts {
  path: string;
  baseImage?: string;
  expose: { port: number; evidence: Evidence }[];
  cmd?: string;
  entrypoint?: string;
  multiStage: boolean;
  stages: number;
  volumes: boolean;
}

/** readDockerfile parses the first Dockerfile at the root (continuations joined; nothing is built or run). */
export async function readDockerfile(ctx: Ctx): Promise<DockerfileFacts | undefined> {
  const path = ['Dockerfile', 'dockerfile', 'Containerfile'].find((f) => ctx.has(f)) ?? ctx.glob(/^Dockerfile\.[\w-]+$/)[0];
  if (path === undefined) return undefined;
  const text = await ctx.text(path);
  if (text === undefined) return undefined;
  const facts: DockerfileFacts = { path, expose: [], multiStage: false, stages: 0, volumes: false };
  const aliases = new Map<string, string>();
  for (const { line, at } of instructions(text)) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    const op = m?.[1]?.toUpperCase();
    const arg = m?.[2] ?? '';
    if (op === 'FROM') {
      facts.stages++;
      // A stage built FROM an earlier stage runs on that stage's image.
      const [image = '', as, alias] = arg.replace(/^--platform=\S+\s+/, '').split(/\s+/);
      const base = aliases.get(image.toLowerCase()) ?? clean(image, 120);
      if (as?.toLowerCase() === 'as' && alias !== undefined) aliases.set(alias.toLowerCase(), base);
      facts.baseImage = base;
    } else if (op === 'EXPOSE') {
      for (const p of arg.split(/\s+/)) {
        const port = Number(/^(\d+)/.exec(p)?.[1]);
        if (port >= 1 && port <= 65535 && facts.expose.length < 8) facts.expose.push({ port, evidence: ev(path, at, 'EXPOSE') });
      }
    } else if (op === 'CMD') facts.cmd = command(arg);
    else if (op === 'ENTRYPOINT') facts.entrypoint = command(arg);
    else if (op === 'VOLUME') facts.volumes = true;
  }
  facts.multiStage = facts.stages > 1;
  return facts;
}

function* instructions(text: string): Generator<{ line: string; at: number }> {
  let buf = '';
  let start = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (buf === '' && (raw === '' || raw.startsWith('#'))) continue;
    if (buf === '') start = i + 1;
    if (raw.endsWith('\\')) {
      buf += `${raw.slice(0, -1)} `;
      continue;
    }
    yield { line: buf + raw, at: start };
    buf = '';
  }
}

/** command renders CMD/ENTRYPOINT in either form as one shell-like line. */
function command(arg: string): string {
  try {
    const parsed: unknown = JSON.parse(arg);
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return clean(parsed.join(' '));
  } catch {
    // The shell form is not JSON: keep it as written.
  }
  return clean(arg);
}
