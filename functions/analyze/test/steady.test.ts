import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest, encodeResponse, untouchedEntry } from '@scia/runtime';
import { runFunction, SteadyAnalyses } from '@scia/function-analyze';
import { ContextKey, RequiredName } from '@scia/api';
import { createRepo, startGitServer, type GitRepo, type GitServer } from '../../../test/support/git-server.js';
import { clock, deps, xr } from './fixtures.js';

let srv: GitServer;
let app: GitRepo;
beforeAll(async () => {
  srv = await startGitServer();
  app = createRepo(srv.root, 'app');
  app.commit({ 'requirements.txt': 'flask\ngunicorn\n', 'app.py': 'app = Flask(__name__)\n' });
  createRepo(srv.root, 'api').commit({ 'package.json': '{"dependencies":{"express":"^4"}}' });
});
afterAll(() => srv.close());

/** reversed is `v` with every object's keys in the reverse order, as Go may marshal them on another call. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
}

type Pin = Record<string, unknown>;

/**
 * Call is one reconcile: the claim's repository, the pin its status holds
 * (from the call before, or changed by `pin`), the time, and whether the
 * memo's side is wanted to reuse a kept pin without reading the spec.
 */
interface Call {
  reason: string;
  repository: () => Record<string, unknown>;
  pin?: (last: Pin | undefined) => Pin | undefined;
  at: string;
  shuffled?: boolean;
  commit?: boolean;
  /** back: the repository that was missing is served from this call on. */
  back?: boolean;
  /** secret: the claim's Secret as Crossplane answers its requirement. */
  secret?: 'given' | 'gone';
  reused: boolean;
}

const main = (): Record<string, unknown> => ({ url: srv.url('app'), ref: 'main' });
const withSecret = (): Record<string, unknown> => ({ ...main(), credentialsSecretRef: { name: 'git-app' } });
const calls: Call[] = [
  { reason: 'no pin: analysed', repository: main, pin: () => undefined, at: '2026-03-01T10:00:00.000Z', reused: false },
  { reason: 'the pin, fresh: reused, kept', repository: main, at: '2026-03-01T10:01:00.000Z', reused: false },
  { reason: 'the same: from the memo', repository: main, at: '2026-03-01T10:02:00.000Z', reused: true },
  { reason: 'its map entries in another order: from the memo', repository: main, at: '2026-03-01T10:03:00.000Z', shuffled: true, reused: true },
  { reason: 'the pin\'s TTL run out: resolved again', repository: main, at: '2026-03-01T10:05:00.000Z', reused: false },
  { reason: 'the pin resolved again, fresh: kept', repository: main, at: '2026-03-01T10:06:00.000Z', reused: false },
  { reason: 'a clock before the pin was resolved: resolved again', repository: main, at: '2026-03-01T10:04:00.000Z', reused: false },
  { reason: 'the analysis changed', repository: main, pin: (p) => ({ ...p, framework: 'django' }), at: '2026-03-01T10:06:30.000Z', reused: false },
  { reason: 'the changed analysis again: from the memo', repository: main, at: '2026-03-01T10:06:40.000Z', reused: true },
  { reason: 'a new commit, past the TTL: analysed anew', repository: main, commit: true, at: '2026-03-01T10:12:00.000Z', reused: false },
  { reason: 'the new pin: kept', repository: main, at: '2026-03-01T10:12:30.000Z', reused: false },
  { reason: 'and reused', repository: main, at: '2026-03-01T10:13:00.000Z', reused: true },
  { reason: 'a Secret named, given: reused, never kept (the Secret is required each call)', repository: withSecret, secret: 'given', at: '2026-03-01T10:13:02.000Z', reused: false },
  { reason: 'the Secret gone: a Warning', repository: withSecret, secret: 'gone', at: '2026-03-01T10:13:04.000Z', reused: false },
  { reason: 'another repository: analysed', repository: () => ({ url: srv.url('api'), ref: 'main' }), at: '2026-03-01T10:13:10.000Z', reused: false },
  { reason: 'another ref: analysed', repository: () => ({ ...main(), ref: 'HEAD' }), at: '2026-03-01T10:13:20.000Z', reused: false },
  { reason: 'the Host down, past the TTL: a Warning, the pin kept', repository: () => ({ url: srv.url('gone'), ref: 'HEAD' }), pin: (p) => ({ ...p, url: srv.url('gone') }), at: '2026-03-01T10:30:00.000Z', reused: false },
  { reason: 'still down: tried again', repository: () => ({ url: srv.url('gone'), ref: 'HEAD' }), at: '2026-03-01T10:30:10.000Z', reused: false },
  { reason: 'the Host back: analysed', repository: () => ({ url: srv.url('gone'), ref: 'HEAD' }), back: true, at: '2026-03-01T10:30:20.000Z', reused: false },
  { reason: 'its pin: kept', repository: () => ({ url: srv.url('gone'), ref: 'HEAD' }), at: '2026-03-01T10:30:30.000Z', reused: false },
  { reason: 'and reused', repository: () => ({ url: srv.url('gone'), ref: 'HEAD' }), at: '2026-03-01T10:30:40.000Z', reused: true },
];

/** answer encodes what the step answers to `bytes`, decoded lazily (memo) or by the SDK codec (full path), and whether it left the spec unread. */
async function answer(bytes: Uint8Array, codec: 'lazy' | 'sdk', d: ReturnType<typeof deps>): Promise<{ bytes: string; unread: boolean }> {
  const req = decodeRequest(bytes, codec);
  const rsp = await runFunction(req, d);
  const xrNow = req.observed?.composite?.resource ?? {};
  return { bytes: Buffer.from(encodeResponse(rsp)).toString('base64'), unread: codec === 'lazy' && untouchedEntry(xrNow, 'spec') !== undefined };
}

describe('a steady analyze call', () => {
  it('answers as the full path does, byte for byte, and reads its inputs again whenever one changed', async () => {
    const c = clock();
    const memo = { ...deps(c), steady: new SteadyAnalyses() };
    const full = deps(c);
    let last: Pin | undefined;
    const warned: string[] = [];
    const got: unknown[] = [];
    const want: unknown[] = [];
    for (const call of calls) {
      if (call.back === true) createRepo(srv.root, 'gone').commit({ 'requirements.txt': 'flask\n', 'app.py': 'app = Flask(__name__)\n' });
      if (call.commit === true) app.commit({ 'Procfile': 'web: gunicorn app:app --bind 0.0.0.0:7000\n' });
      c.at = new Date(call.at);
      const pin = call.pin === undefined ? last : call.pin(last);
      const req = xr(call.repository(), pin === undefined ? undefined : { analysis: JSON.parse(JSON.stringify(pin)) as Pin, phase: 'Running' });
      const observed = req.observed?.composite;
      if (call.secret !== undefined && observed?.resource !== undefined) {
        observed.resource['metadata'] = { name: 'app', labels: { 'crossplane.io/claim-namespace': 'team-a' } };
        const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'git-app', namespace: 'team-a' }, data: { token: Buffer.from('t0ken').toString('base64') } };
        req.requiredResources = { [RequiredName.gitSecret]: { items: call.secret === 'given' ? [{ resource: secret, connectionDetails: {}, ready: 0 }] : [] } };
      }
      if (call.shuffled === true && observed?.resource !== undefined) observed.resource = reversed(observed.resource) as Pin;
      const bytes = RunFunctionRequest.encode(req).finish();
      const a = await answer(bytes, 'lazy', memo);
      const b = await answer(bytes, 'sdk', full);
      got.push({ reason: call.reason, bytes: a.bytes, reused: a.unread });
      want.push({ reason: call.reason, bytes: b.bytes, reused: call.reused });
      const rsp = RunFunctionResponse.decode(Buffer.from(b.bytes, 'base64'));
      for (const r of rsp.results) warned.push(`${call.reason}: ${r.reason ?? ''}`);
      last = (rsp.context?.[ContextKey.analysis] as Pin | undefined) ?? last;
    }
    expect(got).toEqual(want);
    expect({ fetches: memo.fetches.count, warned }).toEqual({
      fetches: 5,
      warned: ['the Secret gone: a Warning: AnalysisStale', 'the Host down, past the TTL: a Warning, the pin kept: AnalysisStale', 'still down: tried again: AnalysisStale'],
    });
  });
});
