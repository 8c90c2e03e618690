import { huffmanDecode } from './h2-huffman.js';

/** STATIC_TABLE is HPACK's static table (RFC 7541 Appendix A): entry i is index i + 1. */
const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'], [':scheme', 'http'], [':scheme', 'https'],
  [':status', '200'], [':status', '204'], [':status', '206'], [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'],
  ['accept-charset', ''], ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''], ['content-disposition', ''],
  ['content-encoding', ''], ['content-language', ''], ['content-length', ''], ['content-location', ''], ['content-range', ''], ['content-type', ''],
  ['cookie', ''], ['date', ''], ['etag', ''], ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''], ['location', ''], ['max-forwards', ''],
  ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''], ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''],
  ['set-cookie', ''], ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''], ['www-authenticate', ''],
];

/** ENTRY_OVERHEAD is what RFC 7541 §4.1 adds to a field's name and value octets to size it. */
const ENTRY_OVERHEAD = 32;

/** HpackError is a header block that is not valid HPACK: a COMPRESSION_ERROR for the whole connection. */
export class HpackError extends Error {}

/** HeaderList is one decoded header block: names and values alternating, latin1 (one character per octet); `tooLarge` when past the size limit. */
export interface HeaderList {
  fields: string[];
  tooLarge: boolean;
}

/**
 * HpackDecoder decodes a connection's header blocks in order, keeping its
 * dynamic table (RFC 7541). Every block must be decoded, even one whose
 * stream is refused, or the table falls out of step with the peer's. The
 * table never grows past `maxTableSize` (the SETTINGS_HEADER_TABLE_SIZE this
 * side announced); a list past `maxListSize` (RFC 9113 sizes) keeps being
 * decoded, for the table, but its fields are dropped and it is marked tooLarge,
 * so a small block of references cannot expand into unbounded memory.
 */
export class HpackDecoder {
  readonly #entries: [string, string][] = []; // newest last
  #size = 0;
  #capacity: number;

  constructor(readonly maxTableSize: number, readonly maxListSize: number) {
    this.#capacity = maxTableSize;
  }

  /** decode reads one whole header block; it throws an HpackError when the block is malformed. */
  decode(block: Uint8Array): HeaderList {
    const fields: string[] = [];
    let listSize = 0;
    let tooLarge = false;
    let pos = 0;
    let first = true;
    const int = (prefixBits: number): number => {
      const mask = (1 << prefixBits) - 1;
      let value = (block[pos++] as number) & mask;
      if (value < mask) return value;
      for (let shift = 0; ; shift += 7) {
        if (pos >= block.length) throw new HpackError('cannot decode a header block: an integer is cut short');
        if (shift > 21) throw new HpackError('cannot decode a header block: an integer is too large');
        const byte = block[pos++] as number;
        value += (byte & 0x7f) * 2 ** shift;
        if ((byte & 0x80) === 0) return value;
      }
    };
    const str = (): string => {
      if (pos >= block.length) throw new HpackError('cannot decode a header block: a string is missing');
      const huffman = ((block[pos] as number) & 0x80) !== 0;
      const length = int(7);
      const end = pos + length;
      if (end > block.length) throw new HpackError('cannot decode a header block: a string runs past its end');
      const out = huffman ? huffmanDecode(block, pos, end) : latin1(block, pos, end);
      pos = end;
      return out;
    };
    while (pos < block.length) {
      const byte = block[pos] as number;
      let name: string;
      let value: string;
      if (byte >= 0x80) {
        [name, value] = this.#entry(int(7));
      } else if (byte >= 0x40) {
        const index = int(6);
        name = index === 0 ? str() : this.#entry(index)[0];
        value = str();
        this.#add(name, value);
      } else if (byte >= 0x20) {
        if (!first) throw new HpackError('cannot decode a header block: a table size update comes after a field');
        const size = int(5);
        if (size > this.maxTableSize) throw new HpackError(`cannot decode a header block: table size ${size} is past the ${this.maxTableSize} announced`);
        this.#capacity = size;
        this.#evict(0);
        continue;
      } else {
        const index = int(4);
        name = index === 0 ? str() : this.#entry(index)[0];
        value = str();
      }
      first = false;
      listSize += name.length + value.length + ENTRY_OVERHEAD;
      if (listSize > this.maxListSize) tooLarge = true;
      if (!tooLarge) fields.push(name, value);
    }
    return { fields: tooLarge ? [] : fields, tooLarge };
  }

  #entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError('cannot decode a header block: index 0');
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1] as readonly [string, string];
    const entry = this.#entries[this.#entries.length - 1 - (index - STATIC_TABLE.length - 1)];
    if (entry === undefined) throw new HpackError(`cannot decode a header block: index ${index} is past the table`);
    return entry;
  }

  #add(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    this.#evict(size);
    // An entry larger than the whole table empties it and is not kept (RFC 7541 §4.4).
    if (size > this.#capacity) return;
    this.#entries.push([name, value]);
    this.#size += size;
  }

  /** evict drops the oldest entries until `room` more octets fit. */
  #evict(room: number): void {
    while (this.#size + room > this.#capacity && this.#entries.length > 0) {
      const [name, value] = this.#entries.shift() as [string, string];
      this.#size -= name.length + value.length + ENTRY_OVERHEAD;
    }
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** encodeInteger writes an HPACK integer with an N-bit prefix, its first byte or-ed with `flags`. */
function encodeInteger(value: number, prefixBits: number, flags: number): number[] {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) return [flags | value];
  const out = [flags | mask];
  let rest = value - mask;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

/**
 * encodeHeaders writes `fields` as a header block that changes no dynamic
 * table: `:status 200` as its static index, any other field as a literal
 * without indexing (its name by static index when it has one), strings
 * written raw (latin1). A response's fixed headers are encoded once, at start.
 */
export function encodeHeaders(fields: readonly (readonly [string, string])[]): Buffer {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const exact = STATIC_TABLE.findIndex(([n, v]) => n === name && v === value);
    if (exact >= 0 && name === ':status') {
      out.push(...encodeInteger(exact + 1, 7, 0x80));
      continue;
    }
    const named = STATIC_TABLE.findIndex(([n]) => n === name);
    out.push(...encodeInteger(named + 1, 4, 0));
    if (named < 0) out.push(...encodeInteger(name.length, 7, 0), ...Buffer.from(name, 'latin1'));
    out.push(...encodeInteger(value.length, 7, 0), ...Buffer.from(value, 'latin1'));
  }
  return Buffer.from(out);
}
