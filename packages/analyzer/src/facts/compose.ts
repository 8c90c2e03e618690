import { isObject } from '@scia/api';
import { clean, lineOf, type Ctx } from '../context.js';

/** ComposeFacts is what a compose file says of each service, with the line that names it. */
export interface ComposeFacts {
  path: string;
  services: { name: string; image?: string; build: boolean; ports: number[]; line?: number; volumes: boolean }[];
}

const FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

/** readCompose parses the first compose file at the root (at most 16 services). */
export async function readCompose(ctx: Ctx): Promise<ComposeFacts | undefined> {
  const path = FILES.find((f) => ctx.has(f));
  if (path === undefined) return undefined;
  const doc = await ctx.yaml(path);
  const text = (await ctx.text(path)) ?? '';
  const services = isObject(doc) && isObject(doc['services']) ? doc['services'] : {};
  const out: ComposeFacts['services'] = [];
  for (const [name, svc] of Object.entries(services).slice(0, 16)) {
    if (!isObject(svc)) continue;
    const image = typeof svc['image'] === 'string' ? clean(svc['image'], 120) : undefined;
    const line = lineOf(text, new RegExp(`^\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`));
    out.push({
      name: clean(name, 63),
      ...(image === undefined ? {} : { image }),
      build: svc['build'] !== undefined,
      ports: (Array.isArray(svc['ports']) ? svc['ports'] : []).map(containerPort).filter((p): p is number => p !== undefined).slice(0, 8),
      volumes: Array.isArray(svc['volumes']) && svc['volumes'].length > 0,
      ...(line === undefined ? {} : { line }),
    });
  }
  return { path, services: out };
}

/** containerPort reads the container side of a port mapping ("8080:80" is 80; {target: 80} too). */
function containerPort(p: unknown): number | undefined {
  if (isObject(p)) return typeof p['target'] === 'number' ? valid(p['target']) : undefined;
  if (typeof p !== 'string' && typeof p !== 'number') return undefined;
  const last = String(p).split('/')[0]?.split(':').pop();
  return valid(Number(last?.split('-')[0]));
}

function valid(n: number): number | undefined {
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}
