/** DIMENSIONS is the length of every stored embedding: `vector(384)`. */
export const DIMENSIONS = 384;

/** vectorText is pgvector's text form, `[1,2,3]`, for a bound parameter. */
export function vectorText(v: readonly number[]): string {
  return `[${v.join(',')}]`;
}

/**
 * vectorBinary is pgvector's binary wire format (int16 dimensions, int16
 * unused, float4 big-endian each). node-postgres sends a Buffer parameter as
 * binary, which loads 15-20x faster than the text form.
 */
export function vectorBinary(v: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(4 + 4 * v.length);
  out.writeUInt16BE(v.length, 0);
  out.writeUInt16BE(0, 2);
  for (let i = 0; i < v.length; i++) out.writeFloatBE(v[i] ?? 0, 4 + 4 * i);
  return out;
}

/** checkVector tells why `v` cannot be stored, or returns undefined. */
export function checkVector(v: readonly number[], dimensions = DIMENSIONS): string | undefined {
  if (v.length !== dimensions) return `expected ${dimensions} dimensions, got ${v.length}`;
  const bad = v.findIndex((x) => !Number.isFinite(x));
  if (bad !== -1) return `element ${bad} is not a finite number`;
  if (!v.some((x) => x !== 0)) return 'a zero vector has no cosine distance';
  return undefined;
}

/** normalize scales `v` to unit length (a zero vector stays zero). */
export function normalize(v: number[]): number[] {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  return norm === 0 ? v : v.map((x) => x / norm);
}
