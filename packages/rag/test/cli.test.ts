import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Similar } from '@scia/api';
import { freePort } from '../../../test/support/ports.js';
import { matching } from '../../../test/support/matchers.js';
import { runScia as scia } from '../../../test/support/scia-cli.js';




describe('scia rag', () => {
  const env = { SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'scia-cli-rag-')), SCIA_NOW: '2026-06-01T00:00:00Z' };

  it('queries a fresh store, which starts from the example knowledge; --json prints only JSON', async () => {
    const out = await scia(['rag', 'query', '--framework', 'flask', '--prompt', 'realtime chat with websockets', '--json'], env);
    const similar = Similar.omit({ queryHash: true }).parse(JSON.parse(out.stdout));
    expect({ code: out.code, stderr: out.stderr, n: similar.cases.length, frameworks: [...new Set(similar.cases.map((c) => c.framework))], embedder: similar.embedder })
      .toEqual({ code: 0, stderr: matching(/loaded 39 example deployments/), n: 5, frameworks: ['flask'], embedder: 'hashing-v1' });
  });

  it('imports a v1 export, naming the rows it skips, and counts them in stats', async () => {
    const file = join(env.SCIA_DATA_DIR, 'export.json');
    const good = { id: 1, analysis: { language: 'go', framework: 'gin' }, config: { strategy: 'vm' }, status: 'deployed' };
    writeFileSync(file, JSON.stringify([good, { ...good, id: 2, status: 'pending' }]));
    const imported = await scia(['rag', 'import', file, '--namespace', 'team-x', '--json'], env);
    const stats = await scia(['rag', 'stats', '--json'], env);
    expect({ code: imported.code, report: JSON.parse(imported.stdout) as unknown, stderr: imported.stderr }).toEqual({
      code: 0,
      report: { rows: 2, written: 1, unchanged: 0, skipped: ['row 1 (id 2): status: "pending" is not a finished deployment'] },
      stderr: 'scia rag: skipped row 1 (id 2): status: "pending" is not a finished deployment\n',
    });
    expect(JSON.parse(stats.stdout)).toMatchObject({ backend: 'pglite', schemaVersion: 4, rows: 40, shared: 39, tenants: 1, byEmbedder: { 'hashing-v1': 40 } });
  });

  it('benchmarks a scratch store: per filter, one result per setting with recall against the exact answer', async () => {
    const out = await scia(['rag', 'bench', '--rows', '400', '--queries', '10', '--json'], env);
    const report = JSON.parse(out.stdout) as { rows: number; filters: { filter: string; results: { setting: string; recallAt5: number; meanRows: number }[] }[] };
    const settings = [
      'exact on the wide table (the old plan)',
      'planned from statistics (auto)',
      'auto, √lists probes, planned per statement',
      'auto, three round trips an IVF bucket',
      'exact on the narrow table, every bucket',
      'ivf buckets, every bucket',
    ];
    expect({
      code: out.code,
      rows: report.rows,
      filters: report.filters.map((f) => ({ filter: f.filter, settings: f.results.map((r) => r.setting), answer: f.results[0]?.recallAt5, planned: f.results[1]?.recallAt5, sameRows: f.results[1]?.meanRows === f.results[0]?.meanRows })),
    }).toEqual({
      code: 0,
      rows: 400,
      // 400 rows fit the exact plan: the planned search must find exactly the answer.
      filters: [{ filter: 'selective', settings, answer: 1, planned: 1, sameRows: true }, { filter: 'broad', settings, answer: 1, planned: 1, sameRows: true }],
    });
    const stats = await scia(['rag', 'stats', '--json'], env);
    expect(JSON.parse(stats.stdout)).toMatchObject({ rows: 40 });
  });

  const usage = {
    'no subcommand': { args: ['rag'], stderr: /^Usage: scia rag/ },
    'query without framework': { args: ['rag', 'query', '--prompt', 'x'], stderr: /^scia rag: query needs --framework and --prompt/ },
    'bad outcome': { args: ['rag', 'query', '--framework', 'x', '--prompt', 'x', '--outcome', 'meh'], stderr: /^scia rag: --outcome takes success, failed or degraded, not "meh"/ },
    'bench without rows': { args: ['rag', 'bench'], stderr: /^scia rag: bench needs --rows N/ },
    'unknown': { args: ['rag', 'drop'], stderr: /^scia rag: unknown subcommand "drop"/ },
  };
  it.each(Object.entries(usage))('refuses %s with status 2', async (_, { args, stderr }) => {
    const out = await scia(args, env);
    expect({ code: out.code, stdout: out.stdout, stderr: out.stderr }).toEqual({ code: 2, stdout: '', stderr: matching(stderr) });
  });
});

describe('scia render with the database down', () => {
  it('still renders the example, with a Warning from retrieve', async () => {
    // scia render gives its in-process functions only what runtime-docker-env says, as crossplane render gives a container.
    const env = `SCIA_DATABASE_URL=postgres://scia@127.0.0.1:${await freePort()}/scia,SCIA_CALL_BUDGET_MS=1000`;
    const dir = 'examples/vm-basic';
    const runtime = ['-a', 'render.crossplane.io/runtime=Docker', '-a', `render.crossplane.io/runtime-docker-env=${env}`];
    const out = await scia(['render', `${dir}/xr.yaml`, `${dir}/composition.yaml`, `${dir}/functions.yaml`, '-r', ...runtime], {});
    const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as Record<string, unknown>);
    const fromRetrieve = docs.filter((d) => d['kind'] === 'Result' && d['step'] === 'retrieve').map((d) => [d['severity'], d['message']]);
    expect({ code: out.code, fromRetrieve, composed: docs.filter((d) => String(d['apiVersion']).includes('aws')).length > 0 }).toEqual({
      code: 0,
      fromRetrieve: [['SEVERITY_WARNING', matching(/^cannot retrieve similar deployments: cannot migrate the deployments store at .*ECONNREFUSED/)]],
      composed: true,
    });
  });
});
