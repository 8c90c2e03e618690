import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINILM, embedderFromEnv, hashText, hashingEmbedder, loadTransformersEmbedder, ollamaEmbedder, openDatabase, openStore } from '@scia/rag';
import { reply, startOllamaServer, type EmbedScript, type OllamaServer } from '../../../test/support/ollama-server.js';
import { fixedClock, flaskQuery } from '../../../test/support/rag-fixtures.js';
import { matching } from '../../../test/support/matchers.js';
import { TINY_MODEL, tinyVector, writeTinyModel, type TinyModel } from './support/tiny-model.js';

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

// The transformers embedder loads a model generated here (test/support/tiny-model.ts:
// a WordPiece tokenizer and one embedding lookup, 384 wide), or
// Xenova/all-MiniLM-L6-v2 where SCIA_TEST_MODEL_DIR holds it.
const realModelDir = process.env['SCIA_TEST_MODEL_DIR'];
const maxDiff = (a: readonly number[], b: readonly number[]): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? Infinity))), 0);

describe(`transformers embedder (${realModelDir === undefined ? TINY_MODEL : MINILM})`, () => {
  const noCache = mkdtempSync(join(tmpdir(), 'scia-model-cache-'));
  const made: string[] = [];
  const generate = (): TinyModel => {
    const tiny = writeTinyModel();
    made.push(tiny.dir);
    return tiny;
  };
  let target: { dir: string; model: string };
  beforeAll(() => {
    target = realModelDir === undefined ? generate() : { dir: realModelDir, model: MINILM };
  });
  afterAll(() => {
    for (const dir of [...made, noCache]) rmSync(dir, { recursive: true, force: true });
  });
  const embedWith = async (texts: string[], dtype: 'q8' | 'fp32' = 'q8'): Promise<{ id: string; vectors: number[][] }> => {
    const loaded = await loadTransformersEmbedder({ model: target.model, modelDir: target.dir, cacheDir: noCache, dtype });
    if (!loaded.ok) throw new Error(loaded.error);
    const out = await loaded.value.embed(texts);
    if (!out.ok) throw new Error(out.error);
    return { id: loaded.value.id, vectors: out.value };
  };

  it('loads the local model offline and embeds 384-dimension unit vectors, the same on a second load', async () => {
    const first = await embedWith(['flask api', 'django api']);
    const second = await embedWith(['flask api']);
    expect({
      id: first.id,
      shapes: first.vectors.map((v) => [v.length, Math.round(Math.hypot(...v) * 1000) / 1000]),
      sameOnSecondLoad: maxDiff(first.vectors[0] ?? [], second.vectors[0] ?? []) < 1e-6,
    }).toEqual({ id: `transformers:${target.model}:q8`, shapes: [[384, 1], [384, 1]], sameOnSecondLoad: true });
  });

  it('puts identical texts at cosine 1 and texts sharing words closer than texts sharing none', async () => {
    const text = 'flask python server: REST api';
    const { vectors } = await embedWith([text, text, 'flask python api for mobile', 'kafka billing queue worker']);
    const [a, same, near, far] = vectors as [number[], number[], number[], number[]];
    expect({ same: Math.abs(cosine(a, same) - 1) < 1e-5, closer: cosine(a, near) > cosine(a, far) }).toEqual({ same: true, closer: true });
  });

  it('keeps a text\'s vector when a longer text in its batch pads it', async () => {
    const alone = await embedWith(['flask api']);
    const padded = await embedWith(['flask api', 'spring boot java service with kafka, redis and postgresql for billing']);
    expect(maxDiff(alone.vectors[0] ?? [], padded.vectors[0] ?? [])).toBeLessThan(1e-5);
  });

  const pooled = {
    'lower case': { reason: 'BertNormalizer lowercases', text: 'Flask API', dtype: 'q8' as const, tokens: ['[CLS]', 'flask', 'api', '[SEP]'] },
    'word pieces': { reason: 'WordPiece splits a word it lacks into pieces', text: 'flasks', dtype: 'q8' as const, tokens: ['[CLS]', 'flask', '##s', '[SEP]'] },
    'accents and punctuation': { reason: 'accents are stripped, punctuation is its own token', text: 'Café/api', dtype: 'q8' as const, tokens: ['[CLS]', 'c', '##a', '##f', '##e', '/', 'api', '[SEP]'] },
    'unknown': { reason: 'a word with no pieces is [UNK]', text: 'flask €', dtype: 'q8' as const, tokens: ['[CLS]', 'flask', '[UNK]', '[SEP]'] },
    'fp32': { reason: 'dtype fp32 loads onnx/model.onnx', text: 'Flask API', dtype: 'fp32' as const, tokens: ['[CLS]', 'flask', 'api', '[SEP]'] },
  };
  it.skipIf(realModelDir !== undefined).each(Object.entries(pooled))('pools the tiny model\'s output: %s', async (_, { text, dtype, tokens }) => {
    const { id, vectors } = await embedWith([text], dtype);
    const got = vectors[0] ?? [];
    const other = dtype === 'q8' ? 'fp32' : 'q8';
    expect({ id, matches: maxDiff(got, tinyVector(tokens, dtype)) < 1e-5, matchesOtherDtype: maxDiff(got, tinyVector(tokens, other)) < 1e-5 })
      .toEqual({ id: `transformers:${TINY_MODEL}:${dtype}`, matches: true, matchesOtherDtype: false });
  });

  const fallback = (why: string): { id: string; warnings: unknown[] } => ({
    id: 'hashing-v1',
    warnings: [matching(new RegExp(`^cannot load embedding model scia-test/tiny-wordpiece-384: .*${why}.*; embedding with the hashing embedder instead$`, 's'))],
  });
  const damaged: Record<string, { reason: string; damage: (modelPath: string) => void; want: { id: string; warnings: unknown[] } }> = {
    'intact': { reason: 'the generated model loads through the environment', damage: () => undefined, want: { id: `transformers:${TINY_MODEL}:q8`, warnings: [] } },
    'no onnx': { reason: 'the weights are missing', damage: (p) => rmSync(join(p, 'onnx', 'model_quantized.onnx')), want: fallback('not found locally at ".*/onnx/model_quantized\\.onnx"') },
    'corrupt onnx': { reason: 'the weights are not ONNX', damage: (p) => writeFileSync(join(p, 'onnx', 'model_quantized.onnx'), 'not a protobuf'), want: fallback('Protobuf parsing failed') },
    'corrupt tokenizer': { reason: 'tokenizer.json is cut short', damage: (p) => writeFileSync(join(p, 'tokenizer.json'), '{"model": {'), want: fallback('JSON') },
    'no config': { reason: 'config.json is missing', damage: (p) => rmSync(join(p, 'config.json')), want: fallback('not found locally at ".*/config\\.json"') },
  };
  it.each(Object.entries(damaged))('embedderFromEnv with a generated model: %s', async (_, { damage, want }) => {
    const tiny = generate();
    damage(join(tiny.dir, ...tiny.model.split('/')));
    const got = await embedderFromEnv({ SCIA_EMBEDDER: 'transformers', SCIA_MODEL_DIR: tiny.dir, SCIA_EMBED_MODEL: tiny.model, SCIA_MODEL_CACHE_DIR: noCache });
    expect({ id: got.embedder.id, warnings: got.warnings }).toEqual(want);
  });
});
