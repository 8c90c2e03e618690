import type { Env } from '@scia/api';
import type { Embedder } from './embedder.js';
import { hashingEmbedder } from './hashing.js';
import { ollamaEmbedder } from './ollama.js';
import { loadTransformersEmbedder } from './transformers.js';

export type { Embedder } from './embedder.js';
export { hashingEmbedder, hashText, HASHING_ID } from './hashing.js';
export { ollamaEmbedder, DEFAULT_OLLAMA_EMBED_MODEL, type OllamaEmbedderOptions } from './ollama.js';
export { loadTransformersEmbedder, MINILM, type TransformersOptions } from './transformers.js';

/** EmbedderChoice is an embedder ready to use and the Warnings met choosing it. */
export interface EmbedderChoice {
  embedder: Embedder;
  warnings: string[];
}

/**
 * embedderFromEnv picks the embedder SCIA_EMBEDDER names: `hashing` (default),
 * `transformers` (SCIA_EMBED_MODEL, default Xenova/all-MiniLM-L6-v2, from
 * SCIA_MODEL_DIR or SCIA_MODEL_CACHE_DIR; downloaded only with
 * SCIA_ALLOW_REMOTE_MODELS=true) or `ollama` (OLLAMA_HOST, SCIA_EMBED_MODEL).
 * A model that cannot load falls back to hashing with a Warning.
 */
export async function embedderFromEnv(env: Env): Promise<EmbedderChoice> {
  const kind = (env['SCIA_EMBEDDER'] ?? '').trim() || 'hashing';
  const model = nonEmpty(env['SCIA_EMBED_MODEL']);
  if (kind === 'hashing') return { embedder: hashingEmbedder(), warnings: [] };
  if (kind === 'ollama') {
    const host = nonEmpty(env['OLLAMA_HOST']);
    if (host !== undefined) return { embedder: ollamaEmbedder({ host, ...(model === undefined ? {} : { model }) }), warnings: [] };
    return fallback('cannot use SCIA_EMBEDDER=ollama: OLLAMA_HOST is not set');
  }
  if (kind === 'transformers') {
    const modelDir = nonEmpty(env['SCIA_MODEL_DIR']);
    const cacheDir = nonEmpty(env['SCIA_MODEL_CACHE_DIR']);
    const loaded = await loadTransformersEmbedder({
      ...(model === undefined ? {} : { model }),
      ...(modelDir === undefined ? {} : { modelDir }),
      ...(cacheDir === undefined ? {} : { cacheDir }),
      allowRemote: env['SCIA_ALLOW_REMOTE_MODELS'] === 'true',
    });
    return loaded.ok ? { embedder: loaded.value, warnings: [] } : fallback(loaded.error);
  }
  return fallback(`cannot use SCIA_EMBEDDER=${JSON.stringify(kind)}: want hashing, transformers or ollama`);
}

function fallback(why: string): EmbedderChoice {
  return { embedder: hashingEmbedder(), warnings: [`${why}; embedding with the hashing embedder instead`] };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}
