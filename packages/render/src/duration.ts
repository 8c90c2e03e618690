const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * parseGoDuration reads a Go duration (`30s`, `1m`, `1h30m`, `1.5s`, `0`) into
 * milliseconds, or undefined when the text is not one. Negative durations are
 * refused: a render cannot have a deadline in the past.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const s = text.startsWith('+') ? text.slice(1) : text;
  if (s === '' || s.startsWith('-')) return undefined;
  const re = /([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    const num = m?.[1] ?? '';
    const unit = UNITS[m?.[2] ?? ''];
    if (m === null || num === '' || num === '.' || unit === undefined) return undefined;
    total += Number(num) * unit;
    pos = re.lastIndex;
  }
  return total;
}
