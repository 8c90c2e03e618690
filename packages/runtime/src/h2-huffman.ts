/**
 * CODE_LENGTHS is the bit length of HPACK's Huffman code for each symbol 0-255
 * and EOS (256), as RFC 7541 Appendix B lists it. The code is canonical (codes
 * of one length are consecutive, in symbol order, after those of shorter
 * lengths), so the lengths alone define every code.
 */
const CODE_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

const EOS = 256;
const MAX_LENGTH = 30;

/** The canonical code's decoding tables: per length, its first code, how many codes it has, and where its symbols start in SYMBOLS. */
const SYMBOLS = CODE_LENGTHS.map((_, symbol) => symbol).sort((a, b) => (CODE_LENGTHS[a] as number) - (CODE_LENGTHS[b] as number) || a - b);
const FIRST = new Int32Array(MAX_LENGTH + 1);
const COUNT = new Int32Array(MAX_LENGTH + 1);
const OFFSET = new Int32Array(MAX_LENGTH + 1);
{
  let code = 0;
  let index = 0;
  for (let length = 1; length <= MAX_LENGTH; length++) {
    FIRST[length] = code;
    OFFSET[length] = index;
    while (index < SYMBOLS.length && CODE_LENGTHS[SYMBOLS[index] as number] === length) {
      index++;
      code++;
    }
    COUNT[length] = index - (OFFSET[length] as number);
    code <<= 1;
  }
}

/** HuffmanError is a Huffman-coded string that is not valid HPACK (an EOS symbol, bad padding). */
export class HuffmanError extends Error {}

/**
 * huffmanDecode decodes `bytes[start, end)` as an HPACK Huffman-coded string
 * into latin1 text (one character per octet). It throws a HuffmanError for an
 * EOS symbol, or padding longer than 7 bits or not all ones (RFC 7541 §5.2).
 */
export function huffmanDecode(bytes: Uint8Array, start: number, end: number): string {
  const out: number[] = [];
  let code = 0;
  let length = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    for (let bit = 7; bit >= 0; bit--) {
      code = (code << 1) | ((byte >> bit) & 1);
      length++;
      const at = code - (FIRST[length] as number);
      if (at >= 0 && at < (COUNT[length] as number)) {
        const symbol = SYMBOLS[(OFFSET[length] as number) + at] as number;
        if (symbol === EOS) throw new HuffmanError('cannot decode a Huffman string: it holds EOS');
        out.push(symbol);
        code = 0;
        length = 0;
      } else if (length >= MAX_LENGTH) {
        throw new HuffmanError('cannot decode a Huffman string: no code matches');
      }
    }
  }
  if (length > 7 || code !== (1 << length) - 1) throw new HuffmanError('cannot decode a Huffman string: its padding is not a prefix of EOS');
  return Buffer.from(out).toString('latin1');
}
