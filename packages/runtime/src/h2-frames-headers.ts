import { ConnectionError, Flag, H2Error } from './h2-frames.js';
import { headerFragment } from './h2-frames-rules.js';
import { HpackDecoder, type HeaderList } from './h2-hpack.js';

/** MAX_HEADER_LIST_BYTES is SETTINGS_MAX_HEADER_LIST_SIZE: a longer list is answered HTTP 431. */
export const MAX_HEADER_LIST_BYTES = 64 * 1024;
// Header block bytes (HEADERS and CONTINUATION) one request may send before the connection is ended.
const MAX_HEADER_BLOCK_BYTES = 2 * MAX_HEADER_LIST_BYTES;
const HEADER_TABLE_BYTES = 4096;

/** HeaderBlock is a whole header block: its stream, whether it opens it, END_STREAM, and its decoded list. */
export interface HeaderBlock {
  streamId: number;
  opens: boolean;
  endStream: boolean;
  list: HeaderList;
}

/** OpenBlock is a block being read: its stream, whether it opens it, END_STREAM, and its pieces so far. */
interface OpenBlock {
  streamId: number;
  opens: boolean;
  endStream: boolean;
  pieces: Buffer[];
  bytes: number;
}

/**
 * HeaderBlocks reads a connection's header blocks: a HEADERS frame and its
 * CONTINUATIONs, joined and decoded through the connection's one HPACK
 * decoder (every block, even a refused stream's, keeps its table in step).
 * It throws ENHANCE_YOUR_CALM for a block past 128 KiB, PROTOCOL_ERROR for a
 * CONTINUATION with no block open.
 */
export class HeaderBlocks {
  #open: OpenBlock | undefined;
  readonly #hpack = new HpackDecoder(HEADER_TABLE_BYTES, MAX_HEADER_LIST_BYTES);

  /** openStream is the stream whose block continues in CONTINUATION frames, if any: no other frame may come before its end. */
  get openStream(): number | undefined {
    return this.#open?.streamId;
  }

  /** headers starts a block with a HEADERS frame; it returns the block when END_HEADERS ends it. */
  headers(flags: number, streamId: number, payload: Buffer, opens: boolean): HeaderBlock | undefined {
    const fragment = headerFragment(flags, payload);
    this.#open = { streamId, opens, endStream: (flags & Flag.END_STREAM) !== 0, pieces: [fragment], bytes: fragment.length };
    return (flags & Flag.END_HEADERS) !== 0 ? this.#whole() : undefined;
  }

  /** continuation adds a CONTINUATION frame; it returns the block when END_HEADERS ends it. */
  continuation(flags: number, streamId: number, payload: Buffer): HeaderBlock | undefined {
    const open = this.#open;
    if (open === undefined) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot read CONTINUATION on stream ${streamId}: no header block is open`);
    open.pieces.push(payload);
    open.bytes += payload.length;
    if (open.bytes > MAX_HEADER_BLOCK_BYTES) throw new ConnectionError(H2Error.ENHANCE_YOUR_CALM, `cannot read a header block past ${MAX_HEADER_BLOCK_BYTES} bytes`);
    return (flags & Flag.END_HEADERS) !== 0 ? this.#whole() : undefined;
  }

  #whole(): HeaderBlock {
    const { streamId, opens, endStream, pieces, bytes } = this.#open as OpenBlock;
    this.#open = undefined;
    const list = this.#hpack.decode(pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, bytes));
    return { streamId, opens, endStream, list };
  }
}
