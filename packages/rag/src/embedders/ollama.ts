import { z } from 'zod';
import { formatIssues } from '@scia/api';
import { errorText, fail, ok } from '@scia/api';
import type { Embedder } from './embedder.js';

/** DEFAULT_OLLAMA_EMBED_MODEL is a 384-dimension model, the store's vector size. */
export const DEFAULT_OLLAMA_EMBED_MODEL = 'all-minilm';

const EmbedResponse = z.object({ embeddings: z.array(z.array(z.number())) });

export interface OllamaEmbedderOptions {
  host: string;
  model?: string;
  timeoutMs?: number;
}

/** ollamaEmbedder embeds through Ollama's `POST /api/embed`, one request per batch. */
export function ollamaEmbedder(opts: OllamaEmbedderOptions): Embedder {
  const model = opts.model ?? DEFAULT_OLLAMA_EMBED_MODEL;
  const url = new URL('/api/embed', opts.host.includes('://') ? opts.host : `http://${opts.host}`);
  return {
    id: `ollama:${model}`,
    dimensions: undefined,
    async embed(texts) {
      const what = `cannot embed with Ollama model ${model} at ${url.origin}`;
      let body: unknown;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model, input: texts }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
        const text = await res.text();
        if (!res.ok) return fail(`${what}: HTTP ${res.status}: ${text.slice(0, 200)}`);
        body = JSON.parse(text);
      } catch (err) {
        return fail(`${what}: ${errorText(err)}`);
      }
      const parsed = EmbedResponse.safeParse(body);
      if (!parsed.success) return fail(`${what}: ${formatIssues(parsed.error, 'response')}`);
      if (parsed.data.embeddings.length !== texts.length) {
        return fail(`${what}: asked for ${texts.length} embeddings, got ${parsed.data.embeddings.length}`);
      }
      return ok(parsed.data.embeddings);
    },
  };
}
