import { describe, expect, it } from 'vitest';
import { parseArgs, type FlagSpec } from '../src/args.js';

const SPEC: FlagSpec = {
  'include-full-xr': { kind: 'bool', short: 'x' },
  'include-context': { kind: 'bool', short: 'c' },
  'observed-resources': { kind: 'string', short: 'o' },
  'context-values': { kind: 'pairs' },
  'function-annotations': { kind: 'list', short: 'a' },
};

const got = (argv: string[]) => {
  const r = parseArgs(argv, SPEC);
  if (!r.ok) return r;
  const v = r.value;
  return { ok: true, positionals: v.positionals, bools: [...v.bools].sort(), strings: Object.fromEntries(v.strings), pairs: Object.fromEntries(v.pairs), lists: Object.fromEntries(v.lists) };
};
const empty = { ok: true, positionals: [], bools: [], strings: {}, pairs: {}, lists: {} };

describe('parseArgs', () => {
  const cases = {
    'long forms': { reason: '--flag value and --flag=value', argv: ['a', '--observed-resources', 'o.yaml', 'b', '--include-full-xr'], want: { ...empty, positionals: ['a', 'b'], bools: ['include-full-xr'], strings: { 'observed-resources': 'o.yaml' } } },
    'short forms': { reason: '-o value, -o=value, last one wins', argv: ['-o', 'first.yaml', '-o=second.yaml'], want: { ...empty, strings: { 'observed-resources': 'second.yaml' } } },
    cluster: { reason: 'clustered switches', argv: ['-xc'], want: { ...empty, bools: ['include-context', 'include-full-xr'] } },
    'switch=false': { reason: 'a switch takes =true or =false, as Crossplane\'s parser does', argv: ['--include-full-xr=true', '--include-context=false'], want: { ...empty, bools: ['include-full-xr'] } },
    pairs: { reason: 'repeatable KEY=VALUE flags merge', argv: ['--context-values', 'a=1', '--context-values=b=x=y'], want: { ...empty, pairs: { 'context-values': { a: '1', b: 'x=y' } } } },
    list: { reason: 'repeatable flags keep their order', argv: ['-a', 'k=1', '-a=k=2'], want: { ...empty, lists: { 'function-annotations': ['k=1', 'k=2'] } } },
    'double dash': { reason: 'after --, a dash starts a positional', argv: ['--', '-x', '-o=y'], want: { ...empty, positionals: ['-x', '-o=y'] } },
    unknown: { reason: 'an unknown flag is named', argv: ['--frobnicate'], want: { ok: false, error: 'unknown flag --frobnicate' } },
    'missing value': { reason: 'a flag without its value is named', argv: ['--observed-resources'], want: { ok: false, error: 'flag --observed-resources needs a value' } },
    'bad switch value': { reason: 'a switch given another value is refused', argv: ['--include-context=yes'], want: { ok: false, error: 'flag --include-context takes true or false, not "yes"' } },
    'bad pair': { reason: 'a pair flag without = is refused', argv: ['--context-values', 'novalue'], want: { ok: false, error: 'flag --context-values takes KEY=VALUE, not "novalue"' } },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, argv, want }) => {
    expect(got(argv), reason).toEqual(want);
  });
});
