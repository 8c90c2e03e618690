/*
 * How go-yaml v2 (the YAML library behind `sigs.k8s.io/yaml`, which prints
 * `crossplane render` output) chooses and writes a string scalar: the analysis
 * of emitterc.go's yaml_emitter_analyze_scalar and select_scalar_style, and its
 * plain, single-quoted, double-quoted and literal writers, including line
 * folding at the first space past column 80.
 */

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

/** BEST_WIDTH is go-yaml's preferred line width. */
export const BEST_WIDTH = 80;

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleAllowed: boolean;
  blockAllowed: boolean;
}

const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** isPrintable is go-yaml's is_printable: LF, ASCII 0x20-0x7E, U+00A0-U+D7FF and U+E000-U+FFFD but the BOM; nothing beyond the BMP. */
export function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface Scan {
  blockIndicators: boolean;
  special: boolean;
  lineBreaks: boolean;
  leadingSpace: boolean;
  leadingBreak: boolean;
  trailingSpace: boolean;
  trailingBreak: boolean;
  breakSpace: boolean;
  spaceBreak: boolean;
}

/** scan notes what yaml_emitter_analyze_scalar looks for: indicators, unprintable characters, and where spaces and breaks sit. */
function scan(chars: readonly string[]): Scan {
  const f: Scan = {
    blockIndicators: chars.slice(0, 3).join('') === '---' || chars.slice(0, 3).join('') === '...',
    special: false, lineBreaks: false, leadingSpace: false, leadingBreak: false,
    trailingSpace: false, trailingBreak: false, breakSpace: false, spaceBreak: false,
  };
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  chars.forEach((c, i) => {
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || isBlank(next) || isBreak(next);
    if (i === 0) f.blockIndicators ||= '#,[]{}&*!|>\'"%@`'.includes(c) || ('?:-'.includes(c) && followedByWhitespace);
    else f.blockIndicators ||= (c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace);
    f.special ||= !isPrintable(c);
    const last = i === chars.length - 1;
    const space = c === ' ';
    const brk = isBreak(c);
    if (space) {
      f.leadingSpace ||= i === 0;
      f.trailingSpace ||= last;
      f.breakSpace ||= previousBreak;
    } else if (brk) {
      f.lineBreaks = true;
      f.leadingBreak ||= i === 0;
      f.trailingBreak ||= last;
      f.spaceBreak ||= previousSpace;
    }
    previousSpace = space;
    previousBreak = brk;
    precededByWhitespace = isBlank(c) || brk;
  });
  return f;
}

function analyze(value: string): Analysis {
  const chars = [...value];
  if (chars.length === 0) return { multiline: false, blockPlainAllowed: true, singleAllowed: true, blockAllowed: false };
  const f = scan(chars);
  const edges = f.leadingSpace || f.leadingBreak || f.trailingSpace || f.trailingBreak;
  const broken = f.spaceBreak || f.special;
  return {
    multiline: f.lineBreaks,
    blockPlainAllowed: !(edges || f.breakSpace || f.lineBreaks || f.blockIndicators || broken),
    singleAllowed: !(f.breakSpace || broken),
    blockAllowed: !(f.trailingSpace || broken),
  };
}

/**
 * chooseStyle is the style go-yaml ends up with for a string: the encoder asks
 * for literal (multi-line), double (it would read back as another type) or
 * plain, and the emitter falls back to single, then double quotes.
 */
export function chooseStyle(value: string, resolvesToOther: boolean, simpleKey: boolean): ScalarStyle {
  let style: ScalarStyle = value.includes('\n') ? 'literal' : resolvesToOther ? 'double' : 'plain';
  const a = analyze(value);
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain' && (!a.blockPlainAllowed || (value === '' && simpleKey))) style = 'single';
  if (style === 'single' && !a.singleAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

/** Writer is the emitter's output position: text so far, current column, and where continuation lines start. */
export interface Writer {
  out: string;
  column: number;
}

export function put(w: Writer, s: string): void {
  for (const c of s) {
    if (c === '\n') {
      w.out += '\n';
      w.column = 0;
    } else {
      w.out += c;
      w.column++;
    }
  }
}

function newlineTo(w: Writer, indent: number): void {
  put(w, `\n${' '.repeat(indent)}`);
}

/** writePlain writes a plain scalar, folding at a single space once past BEST_WIDTH. */
export function writePlain(w: Writer, value: string, indent: number, allowBreaks: boolean): void {
  let spaces = false;
  const chars = [...value];
  chars.forEach((c, i) => {
    if (c === ' ') {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && chars[i + 1] !== ' ') newlineTo(w, indent);
      else put(w, c);
      spaces = true;
    } else {
      put(w, c);
      spaces = false;
    }
  });
}

/** writeSingle writes a single-quoted scalar, doubling quotes and folding like writePlain except at the ends. */
export function writeSingle(w: Writer, value: string, indent: number, allowBreaks: boolean): void {
  put(w, "'");
  let spaces = false;
  const chars = [...value];
  chars.forEach((c, i) => {
    if (c === ' ') {
      const inner = i > 0 && i < chars.length - 1;
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && inner && chars[i + 1] !== ' ') newlineTo(w, indent);
      else put(w, c);
      spaces = true;
    } else {
      put(w, c === "'" ? "''" : c);
      spaces = false;
    }
  });
  put(w, "'");
}

const ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function escape(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const named = ESCAPES[cp];
  if (named !== undefined) return `\\${named}`;
  const [prefix, width] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
  return `\\${prefix}${cp.toString(16).toUpperCase().padStart(width, '0')}`;
}

/** writeDouble writes a double-quoted scalar with go-yaml's escapes, folding at spaces past BEST_WIDTH. */
export function writeDouble(w: Writer, value: string, indent: number, allowBreaks: boolean): void {
  put(w, '"');
  let spaces = false;
  const chars = [...value];
  chars.forEach((c, i) => {
    if (!isPrintable(c) || isBreak(c) || c === '"' || c === '\\') {
      put(w, escape(c));
      spaces = false;
    } else if (c === ' ') {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
        newlineTo(w, indent);
        if (chars[i + 1] === ' ') put(w, '\\');
      } else put(w, c);
      spaces = true;
    } else {
      put(w, c);
      spaces = false;
    }
  });
  put(w, '"');
}

/** writeLiteral writes a literal block scalar with go-yaml's indentation and chomping indicators. */
export function writeLiteral(w: Writer, value: string, indent: number): void {
  let header = '|';
  if (value.startsWith(' ') || isBreak(value[0])) header += '2';
  const chars = [...value];
  const last = chars[chars.length - 1];
  if (!isBreak(last)) header += '-';
  else if (chars.length === 1 || isBreak(chars[chars.length - 2])) header += '+';
  put(w, header);
  let breaks = true;
  put(w, '\n');
  for (const c of chars) {
    if (isBreak(c)) {
      put(w, '\n');
      breaks = true;
    } else {
      if (breaks) put(w, ' '.repeat(indent));
      put(w, c);
      breaks = false;
    }
  }
}
