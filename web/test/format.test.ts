import { describe, expect, it } from 'vitest';
import { formatAge, formatMoney, formatMonthly, formatPercent, formatTime } from '../src/model/format.js';

const NOW = new Date('2026-11-26T12:00:00Z');

describe('formatAge', () => {
  const cases: Record<string, { since: string | null; want: string }> = {
    'unknown time': { since: null, want: '—' },
    'not a time': { since: 'yesterday', want: '—' },
    'in the future reads as now': { since: '2026-11-26T12:05:00Z', want: '0s' },
    'seconds': { since: '2026-11-26T11:59:15Z', want: '45s' },
    'minutes under ten keep their seconds': { since: '2026-11-26T11:56:50Z', want: '3m10s' },
    'minutes from ten drop their seconds': { since: '2026-11-26T11:35:50Z', want: '24m' },
    'hours under ten keep their minutes': { since: '2026-11-26T08:48:00Z', want: '3h12m' },
    'whole hours': { since: '2026-11-26T09:00:00Z', want: '3h' },
    'days from ten': { since: '2026-11-14T12:00:00Z', want: '12d' },
    'days under ten keep their hours': { since: '2026-11-24T07:00:00Z', want: '2d5h' },
  };
  it.each(Object.entries(cases))('%s', (_reason, { since, want }) => {
    expect(formatAge(since, NOW)).toBe(want);
  });
});

describe('formatMoney', () => {
  const cases: Record<string, { amount: number | null; want: string; monthly: string }> = {
    'unknown': { amount: null, want: '—', monthly: '—' },
    'not finite': { amount: Number.NaN, want: '—', monthly: '—' },
    'cents below a hundred': { amount: 42.5, want: '$42.50', monthly: '$42.50/mo' },
    'whole dollars from a hundred': { amount: 1234.56, want: '$1,235', monthly: '$1,235/mo' },
    'zero': { amount: 0, want: '$0.00', monthly: '$0.00/mo' },
  };
  it.each(Object.entries(cases))('%s', (_reason, { amount, want, monthly }) => {
    expect(formatMoney(amount)).toBe(want);
    expect(formatMonthly(amount)).toBe(monthly);
  });
});

describe('formatPercent and formatTime', () => {
  it('rounds ratios to whole percentages and shows unknowns as a dash', () => {
    expect([0.834, 1.26, 0, null].map(formatPercent)).toEqual(['83%', '126%', '0%', '—']);
  });
  it('shows times in UTC to the second, and text that is no time as given', () => {
    expect(formatTime('2026-11-26T08:48:03.120Z')).toBe('2026-11-26 08:48:03 UTC');
    expect(formatTime('2026-11-26T09:48:03+01:00')).toBe('2026-11-26 08:48:03 UTC');
    expect(formatTime('soon')).toBe('soon');
    expect(formatTime(null)).toBe('—');
  });
});
