import { describe, expect, it } from 'vitest';
import { goMatch } from '@scia/packaging';

const cases: Record<string, { reason: string; pattern: string; name: string; want: boolean | 'error' }> = {
  starStopsAtSlash: {
    reason: 'A star never crosses a directory: node_modules/* leaves node_modules/a/b.yaml in the package.',
    pattern: '/r/node_modules/*',
    name: '/r/node_modules/a/b.yaml',
    want: false,
  },
  starInOneDirectory: { reason: 'A star matches within one directory.', pattern: '/r/node_modules/*', name: '/r/node_modules/a.yaml', want: true },
  question: { reason: 'A question mark is one character but a slash.', pattern: '/r/a?c.yaml', name: '/r/a/c.yaml', want: false },
  classRange: { reason: 'Classes take ranges.', pattern: '/r/v[0-9].yaml', name: '/r/v2.yaml', want: true },
  negatedClass: { reason: 'A negated class refuses its members.', pattern: '/r/v[^0-9].yaml', name: '/r/v2.yaml', want: false },
  escape: { reason: 'A backslash makes a star literal.', pattern: '/r/\\*.yaml', name: '/r/a.yaml', want: false },
  wholeName: { reason: 'The whole name must match, not a prefix.', pattern: '/r/xrds', name: '/r/xrds/a.yaml', want: false },
  unclosed: { reason: 'An unclosed class is a syntax error, as in Go.', pattern: '/r/[a', name: '/r/a', want: 'error' },
};

describe('goMatch', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    const got = goMatch(c.pattern, c.name);
    expect(got.ok ? got.value : 'error', c.reason).toBe(c.want);
  });
});
