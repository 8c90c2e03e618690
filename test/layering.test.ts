import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';

// The layering of DESIGN.md (api < runtime, analyzer, rag, decider < functions,
// render < console-api, cli; tests through public APIs only), enforced by
// .dependency-cruiser.json, which `npm run lint` also runs.
const root = join(import.meta.dirname, '..');
const config = JSON.parse(readFileSync(join(root, '.dependency-cruiser.json'), 'utf8')) as IConfiguration;

async function violations(base: string, paths: string[]): Promise<string[]> {
  const result = await cruise(paths, { validate: true, ruleSet: { forbidden: config.forbidden ?? [] }, baseDir: base, tsPreCompilationDeps: true, exclude: { path: '(^|/)(node_modules|dist|\\.scia)/' } });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('layering', () => {
  it('holds across the tree, checked as `npm run lint` checks it', () => {
    const run = spawnSync(process.execPath, [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'packages', 'functions', 'test', 'bench', '--config', '.dependency-cruiser.json', '--output-type', 'err'], { cwd: root, encoding: 'utf8' });
    expect({ status: run.status, out: run.stdout.split('\n').filter((l) => l.includes('error ')) }).toEqual({ status: 0, out: [] });
    expect(run.stdout).toMatch(/no dependency violations found \(\d{3,} modules/);
  }, 120_000);

  const probe = mkdtempSync(join(tmpdir(), 'scia-layering-'));
  afterAll(() => rmSync(probe, { recursive: true, force: true }));
  const write = (files: Record<string, string>): void => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(probe, path)), { recursive: true });
      writeFileSync(join(probe, path), text);
    }
  };
  write({
    'packages/api/src/index.ts': 'export const api = 1;\n',
    'packages/rag/src/index.ts': "import { api } from '../../api/src/index';\nexport const rag = api;\n",
    'packages/rag/test/helper.ts': 'export const helper = 1;\n',
    'packages/decider/src/index.ts': "import { rag } from '../../rag/src/index';\nexport const decider = rag;\n",
    'packages/analyzer/src/index.ts': "import { run } from '../../../functions/decide/src/index';\nexport const analyzer = run;\n",
    'functions/decide/src/index.ts': "import { api } from '../../../packages/api/src/index';\nexport const run = api;\n",
    'functions/record/src/index.ts': "import { run } from '../../decide/src/index';\nexport const record = run;\n",
    'functions/record/test/fn.test.ts': "import { helper } from '../../../packages/rag/test/helper';\nexport const t = helper;\n",
    'packages/api/src/up.ts': "import { rag } from '../../rag/src/index';\nexport const up = rag;\n",
  });
  const cases = {
    'decider imports rag': { reason: 'cases reach the decider as data, never through the store', want: 'libraries-import-only-api: packages/decider/src/index.ts -> packages/rag/src/index.ts' },
    'a package imports a function': { reason: 'functions are glue over packages', want: 'packages-never-import-functions: packages/analyzer/src/index.ts -> functions/decide/src/index.ts' },
    'a function imports another': { reason: 'each function stands alone', want: 'functions-are-independent: functions/record/src/index.ts -> functions/decide/src/index.ts' },
    'a test reaches into another package': { reason: "tests use a package's public API", want: 'public-api-only: functions/record/test/fn.test.ts -> packages/rag/test/helper.ts' },
    'api imports upwards': { reason: 'api is the bottom layer', want: 'api-is-the-bottom: packages/api/src/up.ts -> packages/rag/src/index.ts' },
  };
  it.each(Object.entries(cases))('refuses a forbidden import: %s', async (_, { reason, want }) => {
    const cwd = process.cwd();
    process.chdir(probe);
    try {
      expect(await violations(probe, ['packages', 'functions']), reason).toContain(want);
    } finally {
      process.chdir(cwd);
    }
  });
});
