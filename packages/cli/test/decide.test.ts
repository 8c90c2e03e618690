import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decision } from '@scia/api';
import { runScia as scia } from '../../../test/support/scia-cli.js';




describe('scia decide', () => {
  it('decides on a fresh embedded store, opened while the repository is analysed, with the memory read', async () => {
    const env = { SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'scia-decide-')), SCIA_NOW: '2026-06-01T00:00:00Z' };
    const out = await scia(['decide', '--repo', 'examples/apps/flask-api', '--prompt', 'small API for our mobile app', '--json'], env);
    const decision = Decision.parse(JSON.parse(out.stdout));
    // A memory that could not be read would be a Warning (RetrievalDegraded, MemoryUnavailable).
    expect({ code: out.code, warnings: out.stderr.split('\n').filter((l) => l.includes('warning')), decidedBy: decision.decidedBy }).toEqual({ code: 0, warnings: [], decidedBy: 'rules' });
  });

  it('reports an analysis that fails and exits without a decision, releasing the store', async () => {
    const env = { SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'scia-decide-')) };
    const out = await scia(['decide', '--repo', join(tmpdir(), 'no-such-repository-here'), '--prompt', 'api'], env);
    expect({ code: out.code, stderr: out.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/scia decide: warning: cannot analyze repository, .*no-such-repository-here/) as unknown });
  });
});
