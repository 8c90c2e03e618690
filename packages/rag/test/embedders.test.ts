import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedderFromEnv, hashText, hashingEmbedder, loadTransformersEmbedder, ollamaEmbedder, openDatabase, openStore } from '@scia/rag';
import { reply, startOllamaServer, type EmbedScript, type OllamaServer } from '../../../test/support/ollama-server.js';
import { fixedClock, flaskQuery } from './fixtures.js';
import { matching } from './matchers.js';

const cosine = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe('hashing embedder', () => {
  it('is deterministic, 384-dimensional, unit length, and puts alike texts closer', async () => {
    const flask = 'flask python server services: postgresql request: REST API';
    const out = await hashingEmbedder().embed([flask, flask, 'flask python server request: REST API for mobile', 'spring-boot java kafka billing', '']);
    if (!out.ok) throw new Error(out.error);
    const [a, b, near, far, empty] = out.value as [number[], number[], number[], number[], number[]];
    expect({
      same: a, length: a.length, norm: Math.round(Math.hypot(...a) * 1e6) / 1e6, emptyNorm: Math.round(Math.hypot(...empty) * 1e6) / 1e6,
      closer: cosine(a, near) > cosine(a, far), direct: hashText(flask),
    }).toEqual({ same: b, length: 384, norm: 1, emptyNorm: 1, closer: true, direct: a });
  });
});

describe('ollama embedder', () => {
  let server: OllamaServer;
  beforeAll(async () => {
    server = await startOllamaServer();
  });
  afterAll(() => server.close());

  const cases: Record<string, { reason: string; script: EmbedScript | undefined; want: { dims?: number[]; error?: RegExp } }> = {
    'embeddings': { reason: 'one request per batch, vectors as returned', script: undefined, want: { dims: [384, 384] } },
    'server error': { reason: 'an HTTP error is named with its body', script: () => reply.error(500, 'model runner has unexpectedly stopped'), want: { error: /HTTP 500: .*model runner has unexpectedly stopped/ } },
    'short answer': { reason: 'fewer vectors than texts', script: () => ({ kind: 'embeddings' as const, embeddings: [[1, 2]] }), want: { error: /asked for 2 embeddings, got 1/ } },
    'not json': { reason: 'a body that is not the embed response', script: () => ({ kind: 'status' as const, status: 200, body: '{"embeddings":"no"}' }), want: { error: /response\.embeddings: / } },
    'hang': { reason: 'a server that never answers times out', script: () => reply.hang(), want: { error: /aborted|timeout/i } },
  };
  it.each(Object.entries(cases))('%s', async (_, { script, want }) => {
    server.embed(script ?? ((call) => ({ kind: 'embeddings', embeddings: call.input.map(() => new Array<number>(384).fill(0.05)) })));
    const out = await ollamaEmbedder({ host: server.url, model: 'all-minilm', timeoutMs: 300 }).embed(['a', 'b']);
    if (want.dims !== undefined) expect(out.ok && out.value.map((v) => v.length)).toEqual(want.dims);
    else expect(out.ok ? 'ok' : out.error).toMatch(want.error ?? /./);
    expect(server.embedCalls.at(-1)).toEqual({ model: 'all-minilm', input: ['a', 'b'] });
  });

  it('refuses vectors of another size than the store keeps', async () => {
    server.embed((call) => ({ kind: 'embeddings', embeddings: call.input.map(() => new Array<number>(768).fill(0.05)) }));
    const opened = await openStore({ db: await openDatabase({ kind: 'pglite', dataDir: 'memory://' }), embedder: ollamaEmbedder({ host: server.url }), clock: fixedClock });
    if (!opened.ok) throw new Error(opened.error);
    expect(await opened.value.store.search(flaskQuery())).toEqual({ ok: false, error: 'cannot use the embedding of text 0 from ollama:all-minilm: expected 384 dimensions, got 768' });
    await opened.value.store.close();
  });
});

describe('embedderFromEnv', () => {
  const empty = mkdtempSync(join(tmpdir(), 'scia-models-'));
  const cases = {
    'default': { reason: 'no setting: hashing', env: {}, want: { id: 'hashing-v1', warnings: [] } },
    'ollama': { reason: 'Ollama at OLLAMA_HOST', env: { SCIA_EMBEDDER: 'ollama', OLLAMA_HOST: '127.0.0.1:11434', SCIA_EMBED_MODEL: 'nomic' }, want: { id: 'ollama:nomic', warnings: [] } },
    'ollama without host': {
      reason: 'Ollama with no host falls back to hashing',
      env: { SCIA_EMBEDDER: 'ollama' },
      want: { id: 'hashing-v1', warnings: ['cannot use SCIA_EMBEDDER=ollama: OLLAMA_HOST is not set; embedding with the hashing embedder instead'] },
    },
    'unknown': {
      reason: 'an unknown embedder falls back to hashing',
      env: { SCIA_EMBEDDER: 'word2vec' },
      want: { id: 'hashing-v1', warnings: ['cannot use SCIA_EMBEDDER="word2vec": want hashing, transformers or ollama; embedding with the hashing embedder instead'] },
    },
    'no model offline': {
      reason: 'a model that is neither local nor allowed to download falls back to hashing, fast, with a Warning',
      env: { SCIA_EMBEDDER: 'transformers', SCIA_MODEL_DIR: empty, SCIA_MODEL_CACHE_DIR: empty },
      want: { id: 'hashing-v1', warnings: [matching(/^cannot load embedding model Xenova\/all-MiniLM-L6-v2: .*; embedding with the hashing embedder instead$/)] },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, { env, want }) => {
    const got = await embedderFromEnv(env);
    expect({ id: got.embedder.id, warnings: got.warnings }).toEqual(want);
  });
});

// The real model runs where one is present (SCIA_TEST_MODEL_DIR holds Xenova/all-MiniLM-L6-v2).
const modelDir = process.env['SCIA_TEST_MODEL_DIR'];
describe.skipIf(modelDir === undefined)('transformers embedder (skipped: set SCIA_TEST_MODEL_DIR to a directory holding Xenova/all-MiniLM-L6-v2)', () => {
  it('embeds 384-dimension unit vectors from the local model', async () => {
    const loaded = await loadTransformersEmbedder({ modelDir: modelDir ?? '' });
    if (!loaded.ok) throw new Error(loaded.error);
    const out = await loaded.value.embed(['flask api', 'django api']);
    expect(out.ok && out.value.map((v) => [v.length, Math.round(Math.hypot(...v) * 1000) / 1000])).toEqual([[384, 1], [384, 1]]);
  });
});
