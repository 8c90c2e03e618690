/*
 * How go-yaml v2 reads plain scalars back (so what must be quoted), orders
 * mapping keys, and prints the numbers JSON decodes to.
 */

/** goNumber formats a JSON number as `sigs.k8s.io/yaml` does: integers in full, other values with strconv's shortest `%g`. */
export function goNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  // Integers that fit an int64 or a uint64 read back as ints; larger ones as floats.
  if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 64) {
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

/** RESOLVED are the plain scalars go-yaml v2 reads from its lookup table: nulls, YAML 1.1 booleans, infinities, NaN, merge. */
const RESOLVED = new Set(
  [
    '', '~', 'null', 'Null', 'NULL', '<<',
    'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE',
    'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE',
    '.nan', '.NaN', '.NAN',
  ].concat(['', '+', '-'].flatMap((sign) => ['.inf', '.Inf', '.INF'].map((inf) => sign + inf))),
);
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMPS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2})$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
];

function isTimestamp(s: string): boolean {
  for (const re of TIMESTAMPS) {
    const m = re.exec(s);
    if (m === null) continue;
    const [, , month = 1, day = 1, hour = 0, minute = 0, second = 0] = m.map(Number);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 60) return true;
  }
  return false;
}

/**
 * resolvesToNonString tells whether go-yaml v2 would read the plain scalar `s`
 * as something other than a string (null, bool, int, float, timestamp, merge
 * key), or quotes it anyway (base 60 floats): such strings are written in
 * double quotes.
 */
export function resolvesToNonString(s: string): boolean {
  if (RESOLVED.has(s) || BASE60.test(s)) return true;
  const hint = s[0] ?? '';
  if (hint === '.') return DOT_FLOAT.test(s);
  if (!/[-+0-9]/.test(hint)) return false;
  if (isTimestamp(s)) return true;
  const plain = s.replaceAll('_', '');
  return GO_INT.test(plain) || YAML_FLOAT.test(plain) || /^-0b[01]+$/.test(plain);
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
