import { mkdtempSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORE_TEMPLATES, bundleFunction, functionEntry, type Bundle } from './bundle.js';
import { STEPS } from './names.js';
import { startBundle } from './start.js';

/** BASELINE_ENTRY is the no-op function every size and start time is compared with. */
export const BASELINE_ENTRY = 'test/support/noop-main.mjs';

/** SizeRow is one image payload's size and start time. */
export interface SizeRow {
  name: string;
  bytes: Bundle['bytes'];
  /** listenMs are the times to first listen of each start, fresh data directory first. */
  listenMs: number[];
  /** storeMs are the times from spawn to the store being open (steps that open one), per start. */
  storeMs: number[];
}

/** SizeOptions say how often to start each payload and with which store. */
export interface SizeOptions {
  starts?: number;
  /** databaseUrl is a PostgreSQL server (as the deploy kit sets SCIA_DATABASE_URL) the steps that open a store are also measured on. */
  databaseUrl?: string;
}

/**
 * measureSizes bundles the baseline and each step as its image would hold
 * it, then starts each in turn, round after round (so a burst of load on the
 * machine falls on all alike), on loopback, with no model server and the
 * hashing embedder: on the embedded store, and (with `databaseUrl`) the steps
 * that open a store again on PostgreSQL, in the same rounds. Each keeps its
 * data directory across rounds: the first start of a step unpacks its
 * embedded store from the bundle's template, later ones reopen it.
 */
export async function measureSizes(repo: string, opts: SizeOptions = {}): Promise<SizeRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'scia-sizes-'));
  try {
    const targets = [{ name: 'baseline: no-op function', entry: BASELINE_ENTRY }, ...STEPS.map((s) => ({ name: s, entry: functionEntry(s) }))];
    const prepared = [];
    for (const t of targets) {
      const slug = t.name.replace(/\W+/g, '-');
      const bundle = await bundleFunction({ repo, entry: t.entry, outRoot: join(work, slug) });
      const modes = [undefined, ...(opts.databaseUrl !== undefined && bundle.storeTemplate !== undefined ? [opts.databaseUrl] : [])];
      for (const url of modes) {
        const data = join(work, `${slug}-${url === undefined ? 'embedded' : 'postgres'}-data`);
        mkdirSync(data);
        chmodSync(data, 0o777);
        // As the image sets it: the store template beside the code, caches in the data directory.
        const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', SCIA_DATA_DIR: data, SCIA_CACHE_DIR: join(data, 'cache'), SCIA_STORE_TEMPLATE_DIR: join(bundle.root, STORE_TEMPLATES), NODE_ENV: 'production' };
        if (url !== undefined) env['SCIA_DATABASE_URL'] = url;
        const name = bundle.storeTemplate === undefined ? t.name : `${t.name} (${url === undefined ? 'PGlite' : 'PostgreSQL'})`;
        prepared.push({ row: { name, bytes: bundle.bytes, listenMs: [] as number[], storeMs: [] as number[] }, bundle, env });
      }
    }
    for (let round = 0; round < (opts.starts ?? 3); round++) {
      for (const p of prepared) {
        const s = await startBundle(p.bundle, { env: p.env, timeoutMs: 120_000 });
        p.row.listenMs.push(Math.round(s.listenMs));
        // The store opens after the function listens; wait for it, so the next start finds it whole.
        const store = p.bundle.storeTemplate === undefined ? undefined : await s.logged('deployments store open', 120_000);
        if (store !== undefined) p.row.storeMs.push(Math.round(store));
        await s.stop();
      }
    }
    return prepared.map((p) => p.row);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const mb = (n: number): string => (n / 1e6).toFixed(1);

/** sizesTable prints rows as a table, each beside the baseline (the first row). */
export function sizesTable(rows: SizeRow[]): string {
  const base = rows[0];
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const header = ['image payload', 'total MB', 'code MB', 'node_modules MB', 'x baseline', 'first listen ms', 'listen ms (median)', 'x baseline', 'store open ms (first, median)'];
  const lines = rows.map((r) => [
    r.name,
    mb(r.bytes.total),
    mb(r.bytes.code),
    mb(r.bytes.nodeModules),
    base === undefined ? '-' : (r.bytes.total / base.bytes.total).toFixed(1),
    String(r.listenMs[0] ?? '-'),
    String(median(r.listenMs)),
    base === undefined ? '-' : (median(r.listenMs) / Math.max(1, median(base.listenMs))).toFixed(1),
    r.storeMs.length === 0 ? '-' : `${r.storeMs[0] ?? '-'}, ${median(r.storeMs)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
