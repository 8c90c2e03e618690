import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm start` (scia render of examples/auto-decision with SCIA's functions
 * in-process) is a pure function of its inputs, as crossplane render is: run
 * twice, from another directory, beside a `.scia/` store and with a clock, a
 * store, a model and a database named in the caller's environment, it prints
 * the same bytes, and those are the example's golden file.
 */
const root = join(import.meta.dirname, '..');
const example = join(root, 'examples', 'auto-decision');
const run = promisify(execFile);

/** npmStart runs what `npm start` runs after building, from `cwd` with `env`. */
async function npmStart(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const args = ['xr.yaml', 'composition.yaml', 'functions.yaml'].map((f) => join(example, f));
  const { stdout } = await run(process.execPath, [join(root, 'bin', 'scia.js'), 'render', ...args, '-a', 'render.crossplane.io/runtime=Docker'], {
    cwd,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

describe('npm start', () => {
  it('prints the same bytes twice, from another directory and whatever the caller\'s SCIA_* settings', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'scia-elsewhere-'));
    // The claim names its repository by a path relative to the working directory, as a path argument would be.
    symlinkSync(join(root, 'examples'), join(elsewhere, 'examples'));
    mkdirSync(join(elsewhere, '.scia', 'data', 'decisions'), { recursive: true });
    writeFileSync(join(elsewhere, '.scia', 'data', 'decisions', 'stale.json'), '{"strategy": "kubernetes"}');
    const clean: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
    const noisy: NodeJS.ProcessEnv = {
      ...clean,
      SCIA_NOW: '2031-05-05T05:05:05Z',
      SCIA_DATA_DIR: join(elsewhere, '.scia', 'data'),
      SCIA_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      OLLAMA_HOST: 'http://127.0.0.1:1',
    };
    const first = await npmStart(root, clean);
    const second = await npmStart(root, clean);
    const third = await npmStart(elsewhere, noisy);
    const golden = readFileSync(join(example, 'expected.yaml'), 'utf8');
    expect({ second: second === first, third: third === first, golden: first === golden }).toEqual({ second: true, third: true, golden: true });
  }, 240_000);
});
