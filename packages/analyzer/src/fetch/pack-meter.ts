import pako from 'pako';

/** Meter is fed a fetch response's bytes as they arrive; it throws once the pack inside inflates past its cap. */
export type Meter = (chunk: Uint8Array) => void;

const OFS_DELTA = 6;
const REF_DELTA = 7;

/**
 * packMeter counts what a git-upload-pack response will cost once inflated,
 * while it streams, before isomorphic-git inflates any object whole. It reads
 * the response as isomorphic-git does (pkt-lines; side band 1 carries the
 * pack), inflates each object only to count its bytes (output is dropped),
 * adds each delta's declared result size, and throws when the total passes
 * `maxInflated`: a few megabytes of zeros can no longer become gigabytes.
 */
export function packMeter(maxInflated: number): Meter {
  const pack = packCounter((n) => {
    total += n;
    if (total > maxInflated) throw new Error(`repository is larger than the ${maxInflated}-byte inflated size cap (SCIA_GIT_MAX_INFLATED_BYTES)`);
  });
  let total = 0;
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.byteLength === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.byteLength - at >= 4) {
      const hex = pending.toString('latin1', at, at + 4);
      if (!/^[0-9a-f]{4}$/i.test(hex)) throw new Error('cannot read the Git server answer: not a pkt-line');
      const length = parseInt(hex, 16);
      if (length < 4) {
        at += 4;
        continue;
      }
      if (pending.byteLength - at < length) break;
      if (pending[at + 4] === 1) pack(pending.subarray(at + 5, at + length));
      at += length;
    }
    pending = pending.subarray(at);
  };
}

/**
 * packCounter parses a packfile fed in pieces and reports, through `count`,
 * each object's inflated bytes as they come out and each delta's result size.
 */
function packCounter(count: (bytes: number) => void): (piece: Uint8Array) => void {
  let left = -1;
  let buf = Buffer.alloc(0);
  let inflater: InstanceType<typeof pako.Inflate> | undefined;
  let delta: { head: number[] } | undefined;
  return (piece) => {
    buf = buf.byteLength === 0 ? Buffer.from(piece) : Buffer.concat([buf, piece]);
    for (;;) {
      if (left === 0) return;
      if (left < 0) {
        if (buf.byteLength < 12) return;
        if (buf.toString('latin1', 0, 4) !== 'PACK') throw new Error('cannot read the pack: no PACK header');
        left = buf.readUInt32BE(8);
        buf = buf.subarray(12);
        continue;
      }
      if (inflater === undefined) {
        const header = objectHeader(buf);
        if (header === undefined) return;
        buf = buf.subarray(header.used);
        delta = header.type === OFS_DELTA || header.type === REF_DELTA ? { head: [] } : undefined;
        inflater = new pako.Inflate({ chunkSize: 64 * 1024 });
        const d = delta;
        inflater.onData = (out) => {
          if (d !== undefined && d.head.length < 20) d.head.push(...out.subarray(0, 20 - d.head.length));
          count(out.byteLength);
        };
      }
      if (buf.byteLength === 0) return;
      inflater.push(buf, false);
      if (inflater.err !== 0) throw new Error(`cannot inflate the pack: ${inflater.msg}`);
      if (!inflater.ended) {
        buf = Buffer.alloc(0);
        return;
      }
      // The delta's header states the size of the object it builds, which is inflated too.
      if (delta !== undefined) count(deltaResultSize(delta.head));
      buf = buf.subarray(buf.byteLength - inflater.strm.avail_in);
      inflater = undefined;
      left--;
    }
  };
}

/** objectHeader reads a pack object's type and the bytes its header (and delta base) take; undefined until they have all arrived. */
function objectHeader(buf: Buffer): { type: number; used: number } | undefined {
  let i = 0;
  const first = buf[i++];
  if (first === undefined) return undefined;
  const type = (first >> 4) & 7;
  let more = (first & 0x80) !== 0;
  while (more) {
    const b = buf[i++];
    if (b === undefined) return undefined;
    more = (b & 0x80) !== 0;
  }
  if (type === REF_DELTA) return buf.byteLength >= i + 20 ? { type, used: i + 20 } : undefined;
  if (type === OFS_DELTA) {
    for (;;) {
      const b = buf[i++];
      if (b === undefined) return undefined;
      if ((b & 0x80) === 0) break;
    }
  }
  return { type, used: i };
}

/** deltaResultSize reads the second size of a delta's header (base size, then result size), as varints. */
function deltaResultSize(head: readonly number[]): number {
  let i = 0;
  const varint = (): number => {
    let [n, scale] = [0, 1];
    for (;;) {
      const b = head[i++];
      if (b === undefined) return n;
      n += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return n;
    }
  };
  varint();
  return varint();
}
