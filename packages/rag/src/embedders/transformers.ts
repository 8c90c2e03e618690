import { errorText, fail, ok, type Result } from '@scia/api';
import type { Embedder } from './embedder.js';

/** MINILM is the sentence-transformers model the store's 384 dimensions fit. */
export const MINILM = 'Xenova/all-MiniLM-L6-v2';

export interface TransformersOptions {
  model?: string;
  /** modelDir holds models as `<modelDir>/<model>/...` (transformers.js localModelPath). */
  modelDir?: string;
  /** cacheDir is where downloaded models are kept. */
  cacheDir?: string;
  /** allowRemote lets the model be downloaded from the Hugging Face hub (off unless configured). */
  allowRemote?: boolean;
  /** dtype of the ONNX weights: q8 (default) or fp32. */
  dtype?: 'q8' | 'fp32';
}

type Extractor = (texts: string[], opts: { pooling: 'mean'; normalize: boolean }) => Promise<{ tolist(): unknown }>;

/**
 * loadTransformersEmbedder loads a sentence-embedding model with
 * @huggingface/transformers from a local directory or its cache (or the hub
 * when `allowRemote`), and fails with the reason when it cannot.
 */
export async function loadTransformersEmbedder(opts: TransformersOptions = {}): Promise<Result<Embedder>> {
  const model = opts.model ?? MINILM;
  const dtype = opts.dtype ?? 'q8';
  let extract: Extractor;
  try {
    const tf = await import('@huggingface/transformers');
    tf.env.allowRemoteModels = opts.allowRemote === true;
    tf.env.allowLocalModels = true;
    if (opts.modelDir !== undefined) tf.env.localModelPath = opts.modelDir;
    if (opts.cacheDir !== undefined) tf.env.cacheDir = opts.cacheDir;
    const pipe = await tf.pipeline('feature-extraction', model, { dtype });
    extract = (texts, o) => pipe(texts, o);
  } catch (err) {
    return fail(`cannot load embedding model ${model}: ${errorText(err)}`);
  }
  return ok({
    id: `transformers:${model}:${dtype}`,
    dimensions: undefined,
    async embed(texts) {
      try {
        const out = (await extract([...texts], { pooling: 'mean', normalize: true })).tolist();
        if (!isMatrix(out)) return fail(`cannot embed with ${model}: unexpected output shape`);
        return ok(out);
      } catch (err) {
        return fail(`cannot embed with ${model}: ${errorText(err)}`);
      }
    },
  });
}

function isMatrix(v: unknown): v is number[][] {
  return Array.isArray(v) && v.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'));
}
