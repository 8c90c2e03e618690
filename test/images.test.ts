import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { IMAGE_ENV, STEPS, STORE_TEMPLATES, bundleFunction, dockerfiles, functionEntry, startBundle, type Bundle, type Step } from '@scia/packaging';
import { dialFunction } from '@scia/runtime';

/**
 * Each function's production stage, emulated: the bundle `npm run images`
 * puts in /app, laid out in a temporary directory, started by Node as uid
 * 2000 (the user Crossplane runs function pods as) with nothing writable but
 * its data directory, answering a RunFunctionRequest over gRPC on loopback.
 */
const root = join(import.meta.dirname, '..');
const CROSSPLANE_UID = 2000;
const built = STEPS.every((s) => existsSync(join(root, functionEntry(s))));
const asRoot = process.getuid?.() === 0;
if (!built) console.warn('skipping production-stage tests: the functions are not built (run npx tsc -b)');
else if (!asRoot) console.warn(`skipping production-stage tests as uid ${CROSSPLANE_UID}: they need to run as root to switch user`);

const xr = parse(readFileSync(join(root, 'examples', 'auto-decision', 'xr.yaml'), 'utf8')) as Record<string, unknown>;
const spec = xr['spec'] as Record<string, unknown>;
const request = RunFunctionRequest.fromPartial({
  meta: { tag: 'uid-2000' },
  observed: { composite: { resource: { ...xr, spec: { ...spec, repository: { url: join(root, 'examples', 'apps', 'flask-api'), ref: 'HEAD' } } } } },
});

describe.skipIf(!built || !asRoot)('production stage as uid 2000', () => {
  const work = mkdtempSync(join(tmpdir(), 'scia-images-'));
  const bundles = new Map<Step, Bundle>();

  beforeAll(async () => {
    chmodSync(work, 0o755);
    for (const step of STEPS) bundles.set(step, await bundleFunction({ repo: root, entry: functionEntry(step), outRoot: join(work, step) }));
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(STEPS)('%s starts and answers a RunFunctionRequest', async (step) => {
    const bundle = bundles.get(step);
    if (bundle === undefined) throw new Error(`no bundle for ${step}`);
    const data = join(work, `${step}-data`);
    mkdirSync(join(data, 'tmp'), { recursive: true });
    for (const dir of [data, join(data, 'tmp')]) chownSync(dir, CROSSPLANE_UID, CROSSPLANE_UID);
    const env = {
      PATH: process.env['PATH'] ?? '',
      // As in the image: HOME is not the process's to write, /tmp is an emptyDir.
      HOME: '/nonexistent',
      TMPDIR: join(data, 'tmp'),
      NODE_ENV: IMAGE_ENV.NODE_ENV,
      SCIA_DATA_DIR: join(data, 'data'),
      SCIA_CACHE_DIR: join(data, 'cache'),
      SCIA_MODEL_CACHE_DIR: join(data, 'models'),
      SCIA_STORE_TEMPLATE_DIR: join(bundle.root, STORE_TEMPLATES),
      SCIA_ALLOW_LOCAL_REPOS: 'true',
      SCIA_NOW: '2026-01-01T00:00:00Z',
    };
    const started = await startBundle(bundle, { uid: CROSSPLANE_UID, gid: CROSSPLANE_UID, env, timeoutMs: 90_000 });
    const client = dialFunction(started.address);
    try {
      const rsp = await client.run(request, 60_000);
      const results = rsp.results.map((r) => ({ severity: r.severity, message: r.message }));
      expect(rsp.meta?.tag).toBe('uid-2000');
      expect(results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
      expect(`${started.logs()}\n${results.map((r) => r.message).join('\n')}`).not.toMatch(/EACCES|EROFS|permission denied/i);
      if (['retrieve', 'record'].includes(step)) {
        // The store opens after the function serves, from the template the image carries.
        expect(bundle.storeTemplate, 'the bundle carries a store template').toMatch(/^store-templates\/store-[0-9a-f]{20}\.tar\.gz$/);
        const created = await until(() => existsSync(join(data, 'data', 'pglite', 'PG_VERSION')), 60_000);
        expect(created, 'the embedded store was created').toBe(true);
      }
    } finally {
      client.close();
      expect(await started.stop()).toBe(0);
    }
    expect(ownedBy(bundle.root, CROSSPLANE_UID), 'nothing written beside the code').toEqual([]);
  }, 120_000);
});

/** until polls `cond` every 100 ms for at most `ms`, resolving whether it came true. */
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (cond()) return true;
  return cond();
}

/** ownedBy lists the paths under `dir` that belong to `uid`. */
function ownedBy(dir: string, uid: number): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => lstatSync(join(dir, p)).uid === uid);
}

describe('Dockerfiles', () => {
  it.each(dockerfiles().map((f) => [f.path, f.text] as const))('%s is what npm run packages generates', (path, text) => {
    // On failure: run `npm run packages` and commit the Dockerfiles.
    expect(readFileSync(join(root, path), 'utf8')).toBe(text);
  });

  it('keep node_modules and build output out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
