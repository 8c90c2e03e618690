import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CallEnv, envChoice, envFlag, envInteger, envList, envText, parseEnv } from '../src/index.js';

const Env = z.object({
  N: envInteger(7, { min: 1, max: 100, unit: 'seconds' }),
  F: envFlag(false),
  T: envText(),
  C: envChoice(['hnsw', 'exact'], 'hnsw'),
  L: envList(),
});

describe('parseEnv', () => {
  const cases = {
    defaults: { reason: 'unset variables take their defaults', env: {}, want: { ok: true, value: { N: 7, F: false, T: undefined, C: 'hnsw', L: [] } } },
    given: {
      reason: 'values are trimmed and read',
      env: { N: ' 42 ', F: 'TRUE', T: ' x ', C: 'exact', L: 'A.example, ,b.example' },
      want: { ok: true, value: { N: 42, F: true, T: 'x', C: 'exact', L: ['a.example', 'b.example'] } },
    },
    'blank text': { reason: 'a blank text variable is unset', env: { T: '  ' }, want: { ok: true, value: { N: 7, F: false, T: undefined, C: 'hnsw', L: [] } } },
    'empty number': { reason: 'an empty number is an error, never 0', env: { N: '' }, want: { ok: false, error: 'invalid environment: N: must be a whole number of seconds from 1 to 100, not ""' } },
    'out of range': { reason: 'a number below its minimum is refused', env: { N: '0' }, want: { ok: false, error: 'invalid environment: N: must be a whole number of seconds from 1 to 100, not "0"' } },
    fraction: { reason: 'a fraction is not a whole number', env: { N: '1.5' }, want: { ok: false, error: 'invalid environment: N: must be a whole number of seconds from 1 to 100, not "1.5"' } },
    'several wrong': {
      reason: 'every wrong variable is named at once',
      env: { N: 'x', F: 'yes', C: 'ivfflat' },
      want: { ok: false, error: 'invalid environment: N: must be a whole number of seconds from 1 to 100, not "x"; F: must be true or false, not "yes"; C: must be one of hnsw, exact, not "ivfflat"' },
    },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, env, want }) => {
    expect(parseEnv(Env, env), reason).toEqual(want);
  });

  it('reads the call budget and a fixed clock', () => {
    const got = parseEnv(CallEnv, { SCIA_CALL_BUDGET_MS: '250', SCIA_NOW: '2026-01-01T00:00:00Z' });
    expect(got.ok && { budget: got.value.SCIA_CALL_BUDGET_MS, now: got.value.SCIA_NOW.now().toISOString() }).toEqual({ budget: 250, now: '2026-01-01T00:00:00.000Z' });
  });
});
