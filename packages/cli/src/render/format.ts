import { Document, Scalar, isScalar, visit, type Pair, type ScalarTag } from 'yaml';

/*
 * `crossplane render` prints each object through Kubernetes' JSON-to-YAML path
 * (go-yaml v2): keys sorted, sequences not indented under their key, strings
 * quoted only when YAML 1.1 would read them as something else (double quotes)
 * or when a plain scalar cannot hold them (single quotes), multi-line strings
 * as literal blocks, long lines folded near 80 columns, and floats in Go's
 * shortest `%g` form. This file reproduces that as closely as the `yaml`
 * library allows.
 */

/** formatStream prints documents as a YAML stream, each preceded by `---`, as `crossplane render` does. */
export function formatStream(documents: readonly unknown[]): string {
  return documents.map((d) => `---\n${formatDocument(d)}`).join('');
}

/** formatDocument prints one object in go-yaml v2's style. */
export function formatDocument(value: unknown): string {
  const doc = new Document(value, {
    version: '1.1',
    aliasDuplicateObjects: false,
    sortMapEntries: comparePairs,
    customTags: (tags) => [GO_NUMBER, ...tags],
  });
  visit(doc, {
    Scalar(_key, node) {
      styleString(node);
    },
  });
  return doc.toString({ lineWidth: 80, indentSeq: false, singleQuote: true, nullStr: 'null' });
}

/** GO_NUMBER prints numbers as go-yaml v2 prints the ints and float64s that JSON decodes to. */
const GO_NUMBER: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  identify: (v) => typeof v === 'number',
  // A test that never matches: the library prefers tags with one when several identify a value, and parsing never uses this tag.
  test: /(?!)/,
  resolve: (s) => Number(s),
  stringify: (item) => goNumber(Number((item as Scalar).value)),
};

const INT64_MAX = 9223372036854775807;
const UINT64_MAX = 18446744073709551615;

/** goNumber formats a JSON number as `sigs.k8s.io/yaml` does: integers in full, other values with strconv's shortest `%g`. */
export function goNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  if (Number.isInteger(n) && (Math.abs(n) <= INT64_MAX || (n > 0 && n <= UINT64_MAX))) {
    return BigInt(n).toString();
  }
  const [mantissa = '0', exponent = '0'] = n.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : String(abs)}`;
  }
  return String(n);
}

/** styleString picks the scalar style go-yaml v2 would for a string. */
function styleString(node: Scalar): void {
  if (typeof node.value !== 'string') return;
  const s = node.value;
  if (SPECIAL.test(s)) node.type = Scalar.QUOTE_DOUBLE;
  else if (s.includes('\n')) node.type = /[ \t]\n|[ \t]$/.test(s) ? Scalar.QUOTE_DOUBLE : Scalar.BLOCK_LITERAL;
  else if (resolvesToNonString(s)) node.type = Scalar.QUOTE_DOUBLE;
}

/** SPECIAL matches characters go-yaml's emitter cannot print unescaped (tabs, control characters, BOM). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this matches
const SPECIAL = /[\u0000-\u0009\u000B-\u001F\u007F-\u0084\u0086-\u009F\uFEFF\uD800-\uDFFF\uFFFE\uFFFF]/;

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOLS = new Set(
  'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF'.split(' '),
);
const INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const FLOAT = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?(?:inf|infinity|nan)$/i;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;

/** resolvesToNonString tells whether go-yaml v2 would read the plain scalar `s` as a null, bool, number, timestamp or merge key. */
export function resolvesToNonString(s: string): boolean {
  if (NULLS.has(s) || BOOLS.has(s) || s === '<<' || SPECIAL_FLOAT.test(s) || BASE60.test(s) || TIMESTAMP.test(s)) return true;
  if (!/^[-+.0-9]/.test(s)) return false;
  const plain = s.replaceAll('_', '');
  return INT.test(plain) || FLOAT.test(plain);
}

/** comparePairs orders mapping keys as go-yaml v2 does. */
function comparePairs(a: Pair, b: Pair): number {
  const ka = isScalar(a.key) ? String(a.key.value) : String(a.key);
  const kb = isScalar(b.key) ? String(b.key.value) : String(b.key);
  if (ka === kb) return 0;
  return goKeyLess(ka, kb) ? -1 : 1;
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * goKeyLess is go-yaml v2's key order: letters after other characters, runs of
 * digits compared by value, so `item9` sorts before `item10`.
 */
export function goKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] ?? '';
    const bc = br[i] ?? '';
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    return compareDigitRuns(ar, br, i);
  }
  return ar.length < br.length;
}

function compareDigitRuns(ar: string[], br: string[], i: number): boolean {
  let an = 0n;
  let bn = 0n;
  if (ar[i] === '0' || br[i] === '0') {
    for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
      if (ar[j] !== '0') {
        an = 1n;
        bn = 1n;
        break;
      }
    }
  }
  let ai = i;
  for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(Number(ar[ai]));
  let bi = i;
  for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(Number(br[bi]));
  if (an !== bn) return an < bn;
  if (ai !== bi) return ai < bi;
  return (ar[i] ?? '') < (br[i] ?? '');
}
