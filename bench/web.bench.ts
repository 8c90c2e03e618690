import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { chromium, type Browser } from 'playwright-core';
import { startConsole, type ConsoleServer } from '@scia/console-api';
import { startKubeApiServer, type KubeObject } from '@scia/console-api/testing';
import { percentile, round, type BenchRow } from './measure.js';

/**
 * The dashboard, in headless Chromium against `scia console` on loopback and
 * the loopback Kubernetes API server: the overview's time to first useful
 * paint (its 1,000 rows on screen) beside an empty page's first paint from the
 * same server, and the JavaScript shipped, gzipped, beside React alone built
 * the same way.
 */

const WEB_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const CHROMIUM = process.env['SCIA_CHROMIUM'] ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const DEPLOYMENTS = 1000;
const LOADS = 10;
const TOKENS = { console: 'console-token', viewer: 'viewer-token' };

function claim(i: number): KubeObject {
  const strategy = (['vm', 'kubernetes', 'serverless'] as const)[i % 3];
  const cost = 10 + (i % 97) * 3.5;
  return {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: `team-${i % 10}`, creationTimestamp: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString() },
    spec: { repository: { url: `https://git.example.com/app-${i}.git`, ref: 'main' }, region: 'eu-west-3', budget: { maxMonthlyCost: 300 } },
    status: {
      phase: i % 7 === 0 ? 'Provisioning' : 'Running',
      cost: { estimatedMonthly: cost, currency: 'USD' },
      endpoints: [{ name: 'https', url: `https://app-${i}.example.com`, type: 'load-balancer' }],
      deployment: { strategy, reason: 'fits', confidence: 0.8, decidedBy: 'rules', inputHash: `h${i}` },
    },
  };
}

function kubeConfig(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'loopback', server: url, skipTLSVerify: true }],
    users: [{ name: 'console', token: TOKENS.console }],
    contexts: [{ name: 'loopback', cluster: 'loopback', user: 'console' }],
    currentContext: 'loopback',
  });
  return kc;
}

/**
 * paintRows loads `url` LOADS times (after two warm-ups), each in a fresh
 * context, and reads each of `reads` (a time since navigation, in ms) from the
 * page: one row per read.
 */
async function paintRows(browser: Browser, url: string, reads: ReadonlyArray<{ name: string; read: string }>): Promise<BenchRow[]> {
  const times = reads.map(() => [] as number[]);
  for (let i = -2; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    for (const [k, r] of reads.entries()) {
      const ms = await page.waitForFunction(r.read, undefined, { timeout: 30_000 }).then((h) => h.jsonValue() as Promise<number>);
      if (i >= 0) times[k]!.push(ms);
    }
    await context.close();
  }
  return reads.map((r, k) => {
    const sorted = times[k]!.sort((a, b) => a - b);
    return { name: r.name, ops: 0, p50Ms: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)) };
  });
}

const mark = (name: string): string => `performance.getEntriesByName('${name}')[0]?.startTime`;
const FCP = `performance.getEntriesByName('first-contentful-paint')[0]?.startTime`;

function gzippedJs(dir: string): number {
  const assets = join(dir, 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
}

/** reactAlone builds a page that renders one element with React, with the same Vite, and returns its gzipped JS. */
async function reactAlone(): Promise<number> {
  const { build } = await import('vite');
  const root = mkdtempSync(join(tmpdir(), 'scia-bench-react-'));
  try {
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="./main.js"></script>');
    writeFileSync(join(root, 'main.js'), "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(createElement('p', null, 'SCIA'));\n");
    await build({ root, logLevel: 'silent', configFile: false, resolve: { alias: { react: join(WEB_DIR, '../../node_modules/react'), 'react-dom': join(WEB_DIR, '../../node_modules/react-dom') } }, build: { outDir: join(root, 'dist'), target: 'es2022' } });
    return gzippedJs(join(root, 'dist'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchWeb(): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM)) return [{ name: 'web: skipped', ops: 0, p50Ms: 0, p95Ms: 0, note: `no Chromium at ${CHROMIUM} (sudo bash scripts/test-deps.sh)` }];
  const kube = await startKubeApiServer({
    tokens: { [TOKENS.console]: { username: 'console', groups: [] }, [TOKENS.viewer]: { username: 'viewer', groups: [] } },
    rules: [
      { subjects: ['console'], verbs: ['get', 'list', 'watch'], resources: ['*'] },
      { subjects: ['viewer'], verbs: ['get', 'list', 'watch'], resources: ['deployments.scia.io'] },
    ],
  });
  for (let i = 0; i < DEPLOYMENTS; i++) kube.put(claim(i));
  const empty = mkdtempSync(join(tmpdir(), 'scia-bench-empty-'));
  writeFileSync(join(empty, 'index.html'), '<!doctype html><html lang="en"><title>SCIA</title><h1>Deployments</h1></html>');
  const consoles: ConsoleServer[] = [];
  let browser: Browser | undefined;
  try {
    const [app, blank] = await Promise.all([WEB_DIR, empty].map((webDir) => startConsole({ kubeConfig: kubeConfig(kube.url), webDir })));
    consoles.push(app!, blank!);
    await Promise.all(consoles.map((c) => c.synced));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    const origin = (c: ConsoleServer): string => c.url.replace(/\/graphql$/, '');
    const [base] = await paintRows(browser, `${origin(blank!)}/`, [{ name: 'web: empty page, first paint (baseline)', read: FCP }]);
    const [first, whole] = await paintRows(browser, `${origin(app!)}/#token=${TOKENS.viewer}&/`, [
      { name: `web: overview of ${DEPLOYMENTS} deployments, first useful paint`, read: mark('scia:overview-painted') },
      { name: `web: overview of ${DEPLOYMENTS} deployments, every row and the totals`, read: mark('scia:overview-complete') },
    ]);
    base!.note = `static HTML from scia console, ${LOADS} loads`;
    first!.note = `the first rows on screen; p50 ${round(first!.p50Ms / base!.p50Ms)}x the empty page's`;
    whole!.note = `p50 ${round(whole!.p50Ms / base!.p50Ms)}x the empty page's`;
    const [js, react] = [gzippedJs(WEB_DIR), await reactAlone()];
    const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
    return [
      base!,
      first!,
      whole!,
      { name: 'web: JavaScript shipped, gzipped', ops: 0, p50Ms: 0, p95Ms: 0, note: `${kb(js)} (goal < 250 kB); React alone, same build: ${kb(react)} (${round(js / react)}x)` },
    ];
  } finally {
    await browser?.close();
    await Promise.all(consoles.map((c) => c.close()));
    await kube.close();
    rmSync(empty, { recursive: true, force: true });
  }
}
