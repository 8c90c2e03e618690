/** Formatting shared by every view: money, ages, ratios. Pure, so tests pin the wording. */

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const usdCents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** formatMoney shows a monthly USD amount: whole dollars from $100 up, cents below; an em dash when unknown. */
export function formatMoney(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  return amount >= 100 ? usd.format(amount) : usdCents.format(amount);
}

/** formatMonthly is formatMoney with a `/mo` suffix when the amount is known. */
export function formatMonthly(amount: number | null | undefined): string {
  const money = formatMoney(amount);
  return money === '—' ? money : `${money}/mo`;
}

/** formatPercent shows a ratio in 0..1 (or above) as a whole percentage. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${Math.round(ratio * 100)}%`;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/**
 * formatAge is how long ago `since` was, as kubectl prints it: the largest unit,
 * with the next one below a count of 10 (`3h12m`, `12d`). Unknown or future
 * times read as an em dash and `0s`.
 */
export function formatAge(since: string | null | undefined, now: Date): string {
  if (since === null || since === undefined) return '—';
  const at = Date.parse(since);
  if (Number.isNaN(at)) return '—';
  let seconds = Math.max(0, Math.floor((now.getTime() - at) / 1000));
  for (let i = 0; i < UNITS.length; i++) {
    const [unit, size] = UNITS[i]!;
    if (seconds < size && unit !== 's') continue;
    const count = Math.floor(seconds / size);
    seconds -= count * size;
    const next = UNITS[i + 1];
    if (count < 10 && next !== undefined && seconds >= next[1]) {
      return `${count}${unit}${Math.floor(seconds / next[1])}${next[0]}`;
    }
    return `${count}${unit}`;
  }
  return '0s';
}

/** formatTime shows an RFC 3339 time in UTC, to the second, or the text as given when it is no time. */
export function formatTime(at: string | null | undefined): string {
  if (at === null || at === undefined) return '—';
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return at;
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}
