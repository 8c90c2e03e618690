import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decision } from '@scia/api';
import { ensureStoreTemplate } from '@scia/rag';
import { runScia as scia } from '../../../test/support/scia-cli.js';




describe('scia decide', () => {
  it('decides on a fresh embedded store, opened while the repository is analysed, with the memory read', async () => {
    const env = { SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'scia-decide-')), SCIA_NOW: '2026-06-01T00:00:00Z' };
    const out = await scia(['decide', '--repo', 'examples/apps/flask-api', '--prompt', 'small API for our mobile app', '--json'], env);
    const decision = Decision.parse(JSON.parse(out.stdout));
    // A memory that could not be read would be a Warning (RetrievalDegraded, MemoryUnavailable).
    expect({ code: out.code, warnings: out.stderr.split('\n').filter((l) => l.includes('warning')), decidedBy: decision.decidedBy }).toEqual({ code: 0, warnings: [], decidedBy: 'rules' });
  });

  it('decides the same from nothing (which writes its decision, so leaves no template) and from the template a build leaves', { timeout: 120_000 }, async () => {
    const cache = mkdtempSync(join(tmpdir(), 'scia-decide-cache-'));
    const args = ['decide', '--repo', 'examples/apps/flask-api', '--prompt', 'small API for our mobile app', '--json'];
    const env = (data: string): Record<string, string> => ({ SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), `scia-decide-${data}-`)), SCIA_CACHE_DIR: cache, SCIA_NOW: '2026-06-01T00:00:00Z' });
    const storeTemplates = (): number => readdirSync(cache).filter((f) => /^store-[0-9a-f]{20}\.tar\.gz$/.test(f)).length;
    const fromNothing = await scia(args, env('nothing'));
    const leftByDecide = storeTemplates();
    const built = await ensureStoreTemplate({ SCIA_CACHE_DIR: cache }, tmpdir());
    const fromTemplate = await scia(args, env('template'));
    expect({ codes: [fromNothing.code, fromTemplate.code], stderr: [fromNothing.stderr, fromTemplate.stderr], templates: [leftByDecide, storeTemplates()], built: built.ok, same: fromTemplate.stdout === fromNothing.stdout }).toEqual({
      codes: [0, 0],
      stderr: ['', ''],
      templates: [0, 1],
      built: true,
      same: true,
    });
  });

  it('reports an analysis that fails and exits without a decision, releasing the store', async () => {
    const env = { SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'scia-decide-')) };
    const out = await scia(['decide', '--repo', join(tmpdir(), 'no-such-repository-here'), '--prompt', 'api'], env);
    expect({ code: out.code, stderr: out.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/scia decide: warning: cannot analyze repository, .*no-such-repository-here/) as unknown });
  });

  const unread = {
    'budget': { reason: 'a budget that is not a number', args: ['--repo', 'examples/apps/flask-api', '--budget', 'lots'], error: 'scia decide: --budget: "lots" is not a number\n' },
    'policy': { reason: 'a policy it does not know', args: ['--repo', 'examples/apps/flask-api', '--policy', 'no-such-policy'], error: expect.stringMatching(/^scia decide: --policy\[0\]: unknown policy "no-such-policy"/) as unknown },
    'claim': { reason: 'a claim file that is not there', args: ['no-such-claim.yaml'], error: expect.stringMatching(/^scia decide: cannot read .*no-such-claim\.yaml/) as unknown },
  };
  it.each(Object.entries(unread))('refuses %s before the store opens: no data directory is made', async (_, { reason, args, error }) => {
    const data = join(mkdtempSync(join(tmpdir(), 'scia-decide-')), 'data');
    const out = await scia(['decide', ...args], { SCIA_DATA_DIR: data });
    expect({ code: out.code, stderr: out.stderr, store: existsSync(data) }, reason).toEqual({ code: 2, stderr: error, store: false });
  });
});
