import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { definition } from '@scia/function-record';
import { openDatabase } from '@scia/rag';
import { silentLogger } from '@scia/runtime';

import { analysis, request, xr } from '../../../test/support/xr-request.js';

const NOW = '2026-06-01T12:00:00Z';
const URL = 'https://git.example.com/acme/secret-flask-api';
const PROMPT = 'Internal API for ACME project Bluebird, high availability';
const decision = { strategy: 'vm', reason: 'steady API', confidence: 0.8, decidedBy: 'rules', inputHash: 'h1', config: { instanceType: 't3.small' } };
const ready = { conditions: [{ type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2026-06-01T11:50:00Z' }] };

/** claimIn is a Ready deployment of the claim namespace `ns`, with a repository URL and prompt that must stay private. */
const claimIn = (ns: string, uid: string, labels: Record<string, string> = {}): ReturnType<typeof request> => {
  const x = xr({ uid, claimNamespace: ns, spec: { repository: { url: URL, ref: 'main' }, prompt: PROMPT }, status: { deployment: decision, analysis: analysis({ url: URL }), ...ready } });
  const meta = x['metadata'] as { labels: Record<string, string> };
  return request({ ...x, metadata: { ...meta, labels: { ...meta.labels, ...labels } } });
};

describe('sharing by choice (SCIA_SHARE_NAMESPACES)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-share-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('shares the outcomes of the namespaces that opted in, and of labelled claims, never their repository URL or prompt', async () => {
    const built = await definition.build({ env: { SCIA_DATA_DIR: dataDir, SCIA_NOW: NOW, SCIA_SHARE_NAMESPACES: ' Team-A , team-c', SCIA_RAG_SEED: 'false' }, logger: silentLogger() });
    try {
      for (const [ns, uid, labels] of [['team-a', 'uid-a', {}], ['team-b', 'uid-b', {}], ['team-d', 'uid-d', { 'scia.io/share-knowledge': 'true' }]] as const) {
        const rsp = await built.run(claimIn(ns, uid, labels), silentLogger());
        expect(rsp.results).toEqual([]);
      }
    } finally {
      await built.close();
    }
    const db = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
    try {
      const { rows } = await db.pool.query<Record<string, unknown>>('SELECT * FROM deployments ORDER BY namespace');
      const leaks = (r: Record<string, unknown>): string[] => [URL, PROMPT, 'Bluebird', '0123456789abcdef'].filter((s) => JSON.stringify(r).includes(s));
      expect(rows.map((r) => ({ namespace: r['namespace'], shared: r['shared'], leaks: r['shared'] === true ? leaks(r) : leaks(r).length > 0 }))).toEqual([
        { namespace: 'team-a', shared: true, leaks: [] },
        // A private row keeps them (the check finds what it looks for).
        { namespace: 'team-b', shared: false, leaks: true },
        { namespace: 'team-d', shared: true, leaks: [] },
      ]);
    } finally {
      await db.close();
    }
  });
});
