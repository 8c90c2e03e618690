import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

/**
 * Conformance: every example rendered by `scia render` (SCIA's functions
 * in-process) and by the real `crossplane render` (the same functions served
 * by `scia serve --insecure`, reached through the Development runtime) prints
 * the same bytes; a render that fails fails with the same message. It needs a
 * `crossplane` binary on PATH (or CROSSPLANE_BIN) and skips otherwise.
 */
const root = join(import.meta.dirname, '..');
const examples = join(root, 'examples');
const NOW = '2026-01-01T00:00:00Z';
const crossplane = process.env['CROSSPLANE_BIN'] ?? (spawnSync('crossplane', ['version', '--client'], { stdio: 'ignore' }).status === 0 ? 'crossplane' : undefined);
const skipReason = crossplane === undefined ? 'no crossplane binary on PATH (install the crossplane CLI v2.2.3, or set CROSSPLANE_BIN)' : undefined;

const cases = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'xr.yaml')))
  .map((d) => d.name)
  .sort();

interface Outcome {
  code: number;
  stdout: string;
  /** error is the one-line reason after the command's own prefix. */
  error: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, prefix: RegExp): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: root, env, maxBuffer: 16 * 1024 * 1024, timeout: 180_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      const line = stderr.split('\n').find((l) => prefix.test(l)) ?? '';
      resolve({ code: code === 0 ? 0 : 1, stdout, error: line.replace(prefix, '') });
    });
  });
}

/** serve starts `scia serve` for one example, with a fresh store and the render's clock, and resolves to each function's address. */
async function serve(): Promise<{ child: ChildProcess; addresses: Map<string, string> }> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', SCIA_NOW: NOW, SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'scia-conformance-')) };
  const child = spawn(process.execPath, [join(root, 'bin', 'scia.js'), 'serve', '--insecure', '--address', '127.0.0.1:0', '--metrics-address', '', '--health-address', ''], { cwd: root, env });
  const addresses = new Map<string, string>();
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('scia serve did not start within 60s')), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const m of buffered.matchAll(/^(\S+) listening on (\S+) /gm)) addresses.set(m[1] ?? '', m[2] ?? '');
      if (addresses.size === 5) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error(`scia serve exited: ${buffered}`)));
  });
  return { child, addresses };
}

/** servedFunctions rewrites an example's functions.yaml to name the addresses `scia serve` listens on. */
function servedFunctions(name: string, addresses: Map<string, string>): string {
  const docs = parseAllDocuments(readFileSync(join(examples, name, 'functions.yaml'), 'utf8')).map((d) => d.toJS() as { metadata: { name: string; annotations: Record<string, string> } });
  const file = join(mkdtempSync(join(tmpdir(), 'scia-conformance-fns-')), 'functions.yaml');
  const text = docs
    .map((d) => {
      d.metadata.annotations['render.crossplane.io/runtime-development-target'] = addresses.get(d.metadata.name) ?? '';
      return `---\n${JSON.stringify(d)}\n`;
    })
    .join('');
  writeFileSync(file, text);
  return file;
}

describe.skipIf(skipReason !== undefined)(`scia render and crossplane render agree${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`, () => {
  it.each(cases)('examples/%s', async (name) => {
    const dir = join(examples, name);
    const observed = join(dir, 'observed.yaml');
    const inputs = [join(dir, 'xr.yaml'), join(dir, 'composition.yaml')];
    const required = join(dir, 'required.yaml');
    const extra = [...(existsSync(observed) ? ['-o', observed] : []), ...(existsSync(required) ? ['-e', required, '-r'] : [])];
    const clean = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
    const scia = await run(process.execPath, [join(root, 'bin', 'scia.js'), 'render', ...inputs, join(dir, 'functions.yaml'), ...extra, '-a', 'render.crossplane.io/runtime=Docker'], clean, /^scia render: /);
    const served = await serve();
    try {
      const upstream = await run(crossplane ?? 'crossplane', ['render', ...inputs, servedFunctions(name, served.addresses), ...extra], clean, /^crossplane: error: /);
      expect(scia).toEqual(upstream);
    } finally {
      served.child.kill('SIGTERM');
    }
  }, 300_000);
});
