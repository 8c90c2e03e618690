import { isObject } from '@scia/api';
import { ev, type Ctx } from '../context.js';
import { depsFromRecord } from './deps.js';
import { rule, type Detection, type Detector } from './types.js';

const cr = 'crystal';

/** crystal detects Crystal apps from shard.yml. */
export const crystal: Detector = {
  family: 'crystal',
  languages: [{ name: cr, title: 'Crystal' }],
  extensions: ['.cr'],
  frameworks: [
    rule({ name: 'lucky', title: 'Lucky', language: cr, kind: 'server', deps: ['lucky'], port: 5000, rank: 70 }),
    rule({ name: 'kemal', title: 'Kemal', language: cr, kind: 'server', deps: ['kemal'], port: 3000, rank: 60 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('shard.yml')) return undefined;
  const text = (await ctx.text('shard.yml')) ?? '';
  const doc = await ctx.yaml('shard.yml');
  const rec = isObject(doc) ? doc : {};
  const dependencies = depsFromRecord(rec['dependencies'], { manifest: 'shard.yml', text, ecosystem: 'shards', dev: false });
  const targets = isObject(rec['targets']) ? Object.keys(rec['targets']) : [];
  const bin = targets[0] ?? 'app';
  return {
    language: cr,
    ...(typeof rec['crystal'] === 'string' ? { version: rec['crystal'] } : {}),
    evidence: [ev('shard.yml')],
    packageManager: 'shards',
    dependencies,
    build: { command: 'shards build --release', evidence: ev('shard.yml') },
    start: { command: `./bin/${bin}`, evidence: ev('shard.yml', undefined, 'targets') },
    weight: 10,
  };
}
