import { ok } from '@scia/api';
import { DIMENSIONS, normalize } from '../vector.js';
import type { Embedder } from './embedder.js';

/** HASHING_ID names the hashing embedder; bump the version when its output changes. */
export const HASHING_ID = 'hashing-v1';

/**
 * hashingEmbedder is the default embedder: no model, deterministic, fast. Each
 * word and each pair of adjacent words is hashed (FNV-1a) to one of 384
 * dimensions with a hashed sign, weighted by the square root of its count, and
 * the vector is scaled to unit length. Texts sharing words land close together.
 */
export function hashingEmbedder(dimensions = DIMENSIONS): Embedder {
  return {
    id: dimensions === DIMENSIONS ? HASHING_ID : `${HASHING_ID}-${dimensions}`,
    dimensions,
    embed: (texts) => Promise.resolve(ok(texts.map((t) => hashText(t, dimensions)))),
  };
}

/** hashText is the hashing embedding of one text. */
export function hashText(text: string, dimensions = DIMENSIONS): number[] {
  const counts = new Map<string, number>();
  const words = tokens(text);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    counts.set(w, (counts.get(w) ?? 0) + 1);
    if (i > 0) {
      const pair = `${words[i - 1] ?? ''} ${w}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 0.5);
    }
  }
  const v = new Array<number>(dimensions).fill(0);
  for (const [feature, count] of counts) {
    const h = fnv1a(feature);
    const sign = (h & 0x80000000) === 0 ? 1 : -1;
    const i = (h & 0x7fffffff) % dimensions;
    v[i] = (v[i] ?? 0) + sign * Math.sqrt(count);
  }
  if (!v.some((x) => x !== 0)) v[0] = 1; // an empty text still has a direction
  return normalize(v);
}

function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[.+#-][\p{L}\p{N}]+)*/gu) ?? [];
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

