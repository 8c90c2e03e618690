import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest, encodeResponse } from '@scia/runtime';
import { runFunction } from '@scia/function-analyze';
import { clock, deps, seen, xr } from './fixtures.js';

/** A pin at a full SHA is reused with no network: what the step answers comes from status.analysis alone. */
const SHA = 'a'.repeat(40);
const URL = 'http://127.0.0.1:9/app.git';
const PIN = {
  url: URL, ref: SHA, commit: SHA, language: 'python', framework: 'flask',
  languages: [{ name: 'python', version: '3.12', evidence: [{ file: 'requirements.txt' }] }],
  procfile: { web: 'gunicorn app:app', worker: 'celery -A app worker' },
  size: { files: 12, bytes: 3400 }, confidence: 0.9,
};

/** reversed is `v` with every object's keys in the reverse order, as Go may marshal them on another call. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
}

/** call runs the step on the request for `pin`, read by the lazy codec, and returns what it answered as the SDK reads it back. */
async function call(pin: unknown): Promise<RunFunctionResponse> {
  const bytes = RunFunctionRequest.encode(xr({ url: URL, ref: SHA }, { analysis: pin, phase: 'Running' })).finish();
  const rsp = await runFunction(decodeRequest(bytes, 'lazy'), deps(clock()));
  return RunFunctionResponse.decode(encodeResponse(rsp));
}

/** Each case runs after the ones above it in the same process: a pin remembered from an earlier call must not answer for a changed one. */
const calls: Array<{ reason: string; pin: unknown }> = [
  { reason: 'the first read of the pin', pin: PIN },
  { reason: 'the same pin, its map entries in another order', pin: reversed(PIN) },
  { reason: 'a leaf changed', pin: { ...PIN, framework: 'django' } },
  { reason: 'a leaf deep in a list changed', pin: { ...PIN, languages: [{ name: 'python', version: '3.13', evidence: [{ file: 'requirements.txt' }] }] } },
  { reason: 'a map value changed, entries shuffled', pin: reversed({ ...PIN, procfile: { web: 'gunicorn app:app', worker: 'rq worker' } }) },
  { reason: 'back to the first pin', pin: PIN },
  { reason: 'a field the schema defaults, given', pin: { ...PIN, hints: ['uses redis'] } },
  { reason: 'a pin at another commit: not the spec\'s, so not reused', pin: { ...PIN, commit: 'b'.repeat(40) } },
];

describe('the pinned analysis, read on every steady call', () => {
  it('answers each call from the pin it holds, as a call read by the SDK codec (which decodes every field) does', async () => {
    for (const c of calls) {
      const lazy = seen(await call(c.pin));
      const bytes = RunFunctionRequest.encode(xr({ url: URL, ref: SHA }, { analysis: c.pin, phase: 'Running' })).finish();
      const sdk = seen(await runFunction(decodeRequest(bytes, 'sdk'), deps(clock())));
      expect(lazy, c.reason).toEqual(sdk);
    }
  });

  it('passes on the values of the pin it holds', async () => {
    const got = [];
    for (const c of calls.slice(0, 6)) {
      const context = seen(await call(c.pin)).context as typeof PIN;
      got.push([context.framework, context.languages[0]?.version, context.procfile.worker]);
    }
    expect(got).toEqual([
      ['flask', '3.12', 'celery -A app worker'],
      ['flask', '3.12', 'celery -A app worker'],
      ['django', '3.12', 'celery -A app worker'],
      ['flask', '3.13', 'celery -A app worker'],
      ['flask', '3.12', 'rq worker'],
      ['flask', '3.12', 'celery -A app worker'],
    ]);
  });
});
