import { describe, expect, it } from 'vitest';
import { formatDocument, formatStream, parseGoDuration } from '@scia/render';

describe('formatDocument writes go-yaml v2 style', () => {
  const cases: Record<string, { reason: string; value: unknown; want: string }> = {
    KeyOrder: {
      reason: 'Keys sort with letters after other characters and digit runs by value.',
      value: { b: 1, a: 2, item10: 3, item9: 4, _x: 5, Z: 6, 'a-b': 7, ab: 8 },
      want: '_x: 5\nZ: 6\na: 2\na-b: 7\nab: 8\nb: 1\nitem9: 4\nitem10: 3\n',
    },
    Quoting: {
      reason: 'Strings YAML 1.1 would read as other types get double quotes; strings a plain scalar cannot hold get single quotes.',
      value: { a: 'yes', b: 'on', c: '123', d: '1.5', e: '', f: '2024-01-01T00:00:00Z', g: 'null', h: 'a: b', i: 'plain text', j: '*star', k: '0x1F', l: '~' },
      want: 'a: "yes"\nb: "on"\nc: "123"\nd: "1.5"\ne: ""\nf: "2024-01-01T00:00:00Z"\ng: "null"\nh: \'a: b\'\ni: plain text\nj: \'*star\'\nk: "0x1F"\nl: "~"\n',
    },
    KeysQuoted: {
      reason: 'Keys that YAML 1.1 reads as booleans are quoted too.',
      value: { y: 1, n: 2, ok: 3 },
      want: '"n": 2\nok: 3\n"y": 1\n',
    },
    Numbers: {
      reason: "Integers within 64 bits print in full, other numbers in Go's shortest %g.",
      value: { int: 42, int64: 5e18, big: 1e20, half: 0.5, large: 1234567.5, tiny: 0.000001, neg: -3 },
      want: 'big: 1e+20\nhalf: 0.5\nint: 42\nint64: 5000000000000000000\nlarge: 1.2345675e+06\nneg: -3\ntiny: 1e-06\n',
    },
    Sequences: {
      reason: 'Sequences are not indented under their key; empty collections are flow.',
      value: { list: [{ a: 1, b: [1, 2] }, [3]], empty: [], obj: {}, nil: null },
      want: 'empty: []\nlist:\n- a: 1\n  b:\n  - 1\n  - 2\n- - 3\nnil: null\nobj: {}\n',
    },
    Multiline: {
      reason: 'Multi-line strings are literal blocks; a tab forces double quotes.',
      value: { script: '#!/bin/sh\necho hi\n', bare: 'a\nb', tab: 'a\tb' },
      want: 'bare: |-\n  a\n  b\nscript: |\n  #!/bin/sh\n  echo hi\ntab: "a\\tb"\n',
    },
    Folding: {
      reason: 'Long plain and quoted strings break at the first single space past column 80; keys never fold.',
      value: {
        plain: `${'x'.repeat(30)} ${'y'.repeat(30)} ${'z'.repeat(30)} w`,
        policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}',
      },
      want:
        `plain: ${'x'.repeat(30)} ${'y'.repeat(30)} ${'z'.repeat(30)}\n  w\n` +
        'policy: \'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal":\n' +
        '  {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}\'\n',
    },
    Escapes: {
      reason: 'Single quotes double inside single-quoted strings; characters beyond the BMP are escaped in double quotes.',
      value: { quote: "it's: x", emoji: 'party 🎉', lead: '\nstarts with a newline', keep: 'a\n\n' },
      want: 'emoji: "party \\U0001F389"\nkeep: |+\n  a\n\nlead: |2-\n\n  starts with a newline\nquote: \'it\'\'s: x\'\n',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, tc) => {
    expect({ reason: tc.reason, got: formatDocument(tc.value) }).toEqual({ reason: tc.reason, got: tc.want });
  });

  it('precedes each document of a stream with ---', () => {
    expect(formatStream([{ a: 1 }, { b: 2 }])).toEqual('---\na: 1\n---\nb: 2\n');
  });
});

describe('parseGoDuration', () => {
  const cases: Record<string, { text: string; want: number | undefined }> = {
    Minute: { text: '1m', want: 60_000 },
    Seconds: { text: '30s', want: 30_000 },
    Mixed: { text: '1h2m3.5s', want: 3_723_500 },
    Millis: { text: '250ms', want: 250 },
    Zero: { text: '0', want: 0 },
    NoUnit: { text: '10', want: undefined },
    Negative: { text: '-1s', want: undefined },
    Junk: { text: '1x', want: undefined },
  };
  it.each(Object.entries(cases))('%s', (_name, tc) => {
    expect(parseGoDuration(tc.text)).toEqual(tc.want);
  });
});
