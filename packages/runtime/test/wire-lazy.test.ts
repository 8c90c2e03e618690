import * as grpc from '@grpc/grpc-js';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse, Severity, type Resource } from '@crossplane-org/function-sdk-typescript';
import {
  decodeRequest, dialFunction, encodeResponse, keepObserved, MAX_JSON_DEPTH, mergeDesiredStatus, respond, setContext, setDesiredResource, startFunctionServer,
  type FunctionClient, type RunningFunctionServer, type WireCodec,
} from '@scia/runtime';

const REQ = RunFunctionRequest.fromPartial({
  meta: { tag: 'lazy' },
  observed: {
    composite: { resource: { apiVersion: 'x.io/v1', kind: 'XApp', metadata: { name: 'shop' }, spec: { region: 'eu-west-3' } } },
    resources: {
      db: { resource: { apiVersion: 'rds/v1', kind: 'Instance', metadata: { name: 'db' }, spec: { size: 'small' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } },
      bucket: { resource: { apiVersion: 's3/v1', kind: 'Bucket', metadata: { name: 'b' }, spec: { acl: 'private' } }, connectionDetails: { url: Buffer.from('s3://b') } },
    },
  },
  desired: {
    composite: { resource: { apiVersion: 'x.io/v1', kind: 'XApp', status: { phase: 'Pending' } } },
    resources: { db: { resource: { apiVersion: 'rds/v1', kind: 'Instance', spec: { size: 'small', tags: ['a', 'b'] } }, ready: 1 } },
  },
  context: { 'scia.io/analysis': { language: 'go', ports: [8080], nested: { a: { b: 'c' } } }, 'apiextensions.crossplane.io/environment': { region: 'eu-west-3' } },
  input: { apiVersion: 'fn.scia.io/v1', kind: 'Input', mode: 'auto' },
});
const BYTES = RunFunctionRequest.encode(REQ).finish();

type Step = (req: RunFunctionRequest, rsp: RunFunctionResponse) => void;
const desiredDb = (rsp: RunFunctionResponse): Resource => rsp.desired?.resources['db'] as Resource;
const body = (rsp: RunFunctionResponse): Record<string, unknown> => desiredDb(rsp).resource as Record<string, unknown>;

const steps: Record<string, { reason: string; step: Step }> = {
  untouched: { reason: 'nothing read: the desired state goes back as it came', step: () => undefined },
  'mutated after a read': { reason: 'a change to the decoded object is encoded', step: (_q, rsp) => { (desiredDb(rsp).resource as Record<string, unknown>)['spec'] = { size: 'large' }; } },
  'mutated later': { reason: 'a reference kept and changed after another read is still what is encoded', step: (_q, rsp) => { const body = desiredDb(rsp).resource as Record<string, unknown>; void desiredDb(rsp).resource; body['metadata'] = { name: 'db2' }; } },
  'replaced unread': { reason: 'a write before any read replaces the bytes', step: (_q, rsp) => { desiredDb(rsp).resource = { kind: 'New' }; } },
  deleted: { reason: 'a deleted resource field is not written back', step: (_q, rsp) => { Reflect.deleteProperty(desiredDb(rsp), 'resource'); } },
  'deleted and set': { reason: 'deleted then assigned plainly: the new value', step: (_q, rsp) => { Reflect.deleteProperty(desiredDb(rsp), 'resource'); desiredDb(rsp).resource = { kind: 'Again' }; } },
  'entry replaced': { reason: 'setDesiredResource replaces by name', step: (_q, rsp) => setDesiredResource(rsp, 'db', { apiVersion: 'rds/v1', kind: 'Instance', spec: { size: 'medium' } }) },
  'observed shared into desired': { reason: 'an observed Resource set as desired, unread, is its own bytes', step: (req, rsp) => { (rsp.desired as { resources: Record<string, Resource> }).resources['bucket'] = req.observed?.resources['bucket'] as Resource; } },
  'status merged': { reason: 'the desired composite changed through the kit', step: (_q, rsp) => mergeDesiredStatus(rsp, { phase: 'Running' }) },
  'observed kept': { reason: 'keepObserved reads observed bodies into desired', step: (req, rsp) => { keepObserved(req, rsp); } },
  frozen: { reason: 'a frozen Resource, unread, keeps its bytes', step: (_q, rsp) => { Object.freeze(desiredDb(rsp)); } },
  cloned: { reason: 'structuredClone reads every resource', step: (_q, rsp) => { rsp.desired = structuredClone(rsp.desired); } },
  'one field read': { reason: 'a field read is encoded from its value, the others from their bytes', step: (_q, rsp) => { void body(rsp)['kind']; } },
  'one field changed': { reason: 'a change inside a field read is encoded', step: (_q, rsp) => { (body(rsp)['spec'] as Record<string, unknown>)['size'] = 'xl'; } },
  'one field replaced unread': { reason: 'a field written before any read replaces its bytes', step: (_q, rsp) => { body(rsp)['spec'] = { size: 'medium' }; } },
  'one field deleted': { reason: 'a deleted field is not written back', step: (_q, rsp) => { Reflect.deleteProperty(body(rsp), 'spec'); } },
  'a field added': { reason: 'a new field is encoded beside the untouched ones', step: (_q, rsp) => { body(rsp)['metadata'] = { name: 'db' }; } },
  'frozen body': { reason: 'a frozen object keeps its accessors and still reads right', step: (_q, rsp) => { const b = Object.freeze(body(rsp)); void b['spec']; void b['spec']; } },
  'nested field changed': { reason: 'a write into an object field read lazily is encoded', step: (_q, rsp) => { (body(rsp)['spec'] as Record<string, unknown>)['tags'] = ['c']; } },
  'nested field deleted': { reason: 'a field deleted from an object field read lazily is not written back', step: (_q, rsp) => { Reflect.deleteProperty(body(rsp)['spec'] as object, 'size'); } },
  'nested field added': { reason: 'a new field beside unread ones in an object field', step: (_q, rsp) => { (body(rsp)['spec'] as Record<string, unknown>)['zone'] = 'a'; } },
  'nested object frozen': { reason: 'a frozen object field keeps its accessors and reads right', step: (_q, rsp) => { const spec = Object.freeze(body(rsp)['spec'] as object) as Record<string, unknown>; void spec['tags']; } },
  'ready changed': { reason: 'fields beside the Struct are encoded from the object', step: (_q, rsp) => { desiredDb(rsp).ready = 2; desiredDb(rsp).connectionDetails['pw'] = Buffer.from('x'); } },
  'context key read': { reason: 'a context key read is encoded from its value, the other from its bytes', step: (req) => { void req.context?.['scia.io/analysis']; } },
  'context key changed': { reason: 'a change inside a context value read is encoded (the response shares the request\'s context)', step: (req) => { (req.context?.['scia.io/analysis'] as Record<string, unknown>)['language'] = 'rust'; } },
  'context key added': { reason: 'setContext adds a key after the unread ones', step: (_q, rsp) => setContext(rsp, 'scia.io/decision', { strategy: 'vm' }) },
  'context key replaced': { reason: 'setContext replaces a key unread, in its place', step: (_q, rsp) => setContext(rsp, 'scia.io/analysis', { language: 'python' }) },
  'context key read and another set': { reason: 'what retrieve and decide do', step: (req, rsp) => { void req.context?.['scia.io/analysis']; setContext(rsp, 'scia.io/similar', { cases: [] }); } },
  'context set twice': { reason: 'a second setContext keeps the first key and the unread ones', step: (_q, rsp) => { setContext(rsp, 'a', 1); setContext(rsp, 'b', [true]); } },
  'context key deleted': { reason: 'a deleted context key is not written back', step: (_q, rsp) => { Reflect.deleteProperty(rsp.context as object, 'apiextensions.crossplane.io/environment'); } },
  'context key assigned unread': { reason: 'a context key written before any read replaces its bytes', step: (_q, rsp) => { (rsp.context as Record<string, unknown>)['scia.io/analysis'] = { language: 'java' }; } },
  'context replaced': { reason: 'a new context object is encoded whole', step: (_q, rsp) => { rsp.context = { only: 'this' }; } },
  'context spread': { reason: 'a spread reads every key', step: (_q, rsp) => { rsp.context = { ...rsp.context, more: 1 }; } },
  'context frozen and read': { reason: 'a frozen context keeps its accessors, decodes once and reads right', step: (req) => { const c = Object.freeze(req.context as Record<string, unknown>); void c['scia.io/analysis']; void c['scia.io/analysis']; } },
  'input read': { reason: 'the input is not part of the response', step: (req) => { void req.input?.['mode']; } },
};

describe('a lazily decoded request', () => {
  it.each(Object.entries(steps))('%s', (_name, c) => {
    const answer = (codec: WireCodec): Buffer => {
      const req = decodeRequest(BYTES, codec);
      const rsp = respond(req, 60);
      c.step(req, rsp);
      return codec === 'lazy' ? encodeResponse(rsp) : Buffer.from(RunFunctionResponse.encode(rsp).finish());
    };
    const lazy = answer('lazy');
    expect(RunFunctionResponse.decode(lazy), c.reason).toStrictEqual(RunFunctionResponse.decode(answer('sdk')));
  });
});

const undecoded = (o: object, k: string): boolean => typeof Object.getOwnPropertyDescriptor(o, k)?.get === 'function';

describe('a lazily decoded context', () => {
  it('is answered by a no-op step without decoding any key', () => {
    const req = decodeRequest(BYTES, 'lazy');
    const context = req.context as Record<string, unknown>;
    encodeResponse(respond(req, 60));
    expect(Object.keys(context).map((k) => [k, undecoded(context, k)])).toEqual([['scia.io/analysis', true], ['apiextensions.crossplane.io/environment', true]]);
  });

  it('keeps its keys undecoded through setContext, and the request\'s context as it was', () => {
    const req = decodeRequest(BYTES, 'lazy');
    const rsp = respond(req, 60);
    setContext(rsp, 'scia.io/decision', { strategy: 'vm' });
    const out = rsp.context as Record<string, unknown>;
    encodeResponse(rsp);
    expect({
      request: Object.keys(req.context ?? {}),
      response: Object.keys(out).map((k) => [k, undecoded(out, k)]),
      value: out['scia.io/analysis'],
    }).toEqual({
      request: ['scia.io/analysis', 'apiextensions.crossplane.io/environment'],
      response: [['scia.io/analysis', true], ['apiextensions.crossplane.io/environment', true], ['scia.io/decision', false]],
      value: { language: 'go', ports: [8080], nested: { a: { b: 'c' } } },
    });
  });
});

describe('a lazily decoded Resource', () => {
  it('keeps its undecoded bytes out of sight: keys, spread, JSON and equality see a plain Resource', () => {
    const lazy = decodeRequest(BYTES, 'lazy').observed?.resources['db'] as Resource;
    const sdk = decodeRequest(BYTES, 'sdk').observed?.resources['db'] as Resource;
    expect({ keys: Object.keys(lazy), symbols: Object.getOwnPropertySymbols(lazy), json: JSON.stringify(lazy), proto: Object.getPrototypeOf(lazy) === Object.prototype })
      .toEqual({ keys: ['resource', 'connectionDetails', 'ready'], symbols: [], json: JSON.stringify(sdk), proto: true });
  });

  it('decodes once when frozen, and reads through an object inheriting from it', () => {
    const req = decodeRequest(BYTES, 'lazy');
    const frozen = Object.freeze(req.observed?.resources['db'] as Resource);
    const child = Object.create(req.observed?.resources['bucket'] as object) as Resource;
    const kind = (r: Resource): unknown => (r.resource as Record<string, unknown> | undefined)?.['kind'];
    expect({ same: frozen.resource === frozen.resource, kind: kind(frozen), inherited: kind(child) }).toEqual({ same: true, kind: 'Instance', inherited: 'Bucket' });
  });
});

describe('the observed state of a lazily decoded request', () => {
  const unread = (state: object): boolean => Object.getOwnPropertyDescriptor(state, 'resources')?.get !== undefined;
  it('builds its composed resources on the first read of the map, then keeps them as a plain property', () => {
    const req = decodeRequest(BYTES, 'lazy');
    const observed = req.observed as NonNullable<RunFunctionRequest['observed']>;
    const before = { unread: unread(observed), keys: Object.keys(observed), composite: (observed.composite?.resource as Record<string, unknown>)['kind'] };
    const first = observed.resources;
    expect({ before, after: unread(observed), same: observed.resources === first }).toEqual({ before: { unread: true, keys: ['composite', 'resources'], composite: 'XApp' }, after: false, same: true });
    expect(req).toStrictEqual(decodeRequest(BYTES, 'sdk'));
  });

  const cases: Record<string, { reason: string; step: (state: NonNullable<RunFunctionRequest['observed']>) => unknown; want: unknown }> = {
    frozen: { reason: 'a frozen State keeps its accessor and reads its map once', step: (s) => { Object.freeze(s); return s.resources === s.resources && Object.keys(s.resources).join(); }, want: 'db,bucket' },
    inherited: { reason: 'a State read through an object inheriting from it', step: (s) => Object.keys((Object.create(s) as typeof s).resources).join(), want: 'db,bucket' },
    'assigned unread': { reason: 'a map assigned before any read replaces it', step: (s) => { s.resources = {}; return Object.keys(s.resources).length; }, want: 0 },
    spread: { reason: 'a spread reads the map', step: (s) => Object.keys({ ...s }.resources).join(), want: 'db,bucket' },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    expect(c.step(decodeRequest(BYTES, 'lazy').observed as NonNullable<RunFunctionRequest['observed']>), c.reason).toEqual(c.want);
  });
});

/** entry writes one Struct field entry holding a string Value, or an object Value of `inner` entries. */
function entry(w: BinaryWriter, key: string, value: string | Array<[string, string]>): void {
  w.uint32(10).fork().uint32(10).string(key).uint32(18).fork();
  if (typeof value === 'string') w.uint32(26).string(value);
  else {
    w.uint32(42).fork();
    for (const [k, v] of value) entry(w, k, v);
    w.join();
  }
  w.join().join();
}

describe('a Struct with a repeated key', () => {
  it('keeps the key in its first place with its last value, and reads every field as the SDK does', () => {
    // No encoder repeats a map key, but a map's wire form allows it: the SDK keeps the last value.
    const struct = new BinaryWriter();
    entry(struct, 'kind', 'First');
    entry(struct, 'spec', [['size', 'small'], ['size', 'large'], ['zone', 'a']]);
    entry(struct, 'kind', 'Last');
    entry(struct, 'status', [['phase', 'Ready']]);
    const req = new BinaryWriter().uint32(18).fork().uint32(10).fork().uint32(10).bytes(struct.finish()).join().join().finish();
    const read = (codec: WireCodec): unknown => {
      const body = decodeRequest(req, codec).observed?.composite?.resource as Record<string, unknown>;
      return { keys: Object.keys(body), status: body['status'], kind: body['kind'], spec: body['spec'], specKeys: Object.keys(body['spec'] as object) };
    };
    expect(read('lazy')).toEqual(read('sdk'));
  });
});

describe('an object field of a resource', () => {
  it('decodes its own fields only when they are read', () => {
    const req = decodeRequest(BYTES, 'lazy');
    const db = req.observed?.resources['db']?.resource as Record<string, unknown>;
    const status = db['status'] as Record<string, unknown>;
    const before = undecoded(status, 'conditions');
    expect(status['conditions']).toEqual([{ type: 'Ready', status: 'True' }]);
    expect({ before, after: undecoded(status, 'conditions'), spec: undecoded(db, 'spec') }).toEqual({ before: true, after: false, spec: true });
  });
});

function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < depth; i++) v = { n: v };
  return v;
}

const deep = (tag: string): RunFunctionRequest => RunFunctionRequest.fromPartial({
  meta: { tag },
  observed: { composite: { resource: { apiVersion: 'x.io/v1', kind: 'X' } }, resources: { deep: { resource: { spec: nested(MAX_JSON_DEPTH + 20) } } } },
});
const TOO_DEEP = `cannot read the request for function-deep: its JSON nests deeper than the ${MAX_JSON_DEPTH} levels a function reads`;

describe('a composed resource nested past the limit', () => {
  const servers: RunningFunctionServer[] = [];
  const clients: Partial<Record<WireCodec, FunctionClient>> = {};
  beforeAll(async () => {
    for (const codec of ['lazy', 'sdk'] as const) {
      const server = await startFunctionServer({
        name: 'function-deep', codec, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(),
        // The step reads the deep field only when its tag asks it to.
        run: (req) => {
          if (req.meta?.tag === 'read') void req.observed?.resources['deep']?.resource?.['spec'];
          return respond(req, 60);
        },
      });
      servers.push(server);
      clients[codec] = dialFunction(server.address);
    }
  });
  afterAll(async () => {
    for (const c of Object.values(clients)) c.close();
    await Promise.all(servers.map((s) => s.shutdown(100)));
  });

  const cases: Record<string, { reason: string; codec: WireCodec; tag: string; want: string[] }> = {
    'lazy, read': { reason: 'read: refused as the SDK codec refuses it, with the tag', codec: 'lazy', tag: 'read', want: [TOO_DEEP] },
    'lazy, unread': { reason: 'never read: an observed resource is not written back and nothing walks it, so the call goes on', codec: 'lazy', tag: 'unread', want: [] },
    'sdk, read': { reason: 'the SDK codec walks every request whole', codec: 'sdk', tag: 'read', want: [TOO_DEEP] },
    'sdk, unread': { reason: 'the SDK codec refuses it unread too', codec: 'sdk', tag: 'unread', want: [TOO_DEEP] },
  };
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const rsp = await (clients[c.codec] as FunctionClient).run(deep(c.tag), 10_000);
    expect({ tag: rsp.meta?.tag, fatal: rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message) }, c.reason).toEqual({ tag: c.tag, fatal: c.want });
  });
});

/** desiredBytes writes a request whose desired state is the given map entries, each a key and a Resource written by `resource`, by hand (as Go may write them). */
function desiredBytes(entries: Array<[string, (w: BinaryWriter) => void]>): Uint8Array {
  const state = new BinaryWriter();
  state.uint32(10).fork().uint32(10).bytes(RunFunctionRequest.encode(RunFunctionRequest.fromPartial({})).finish()).join();
  for (const [key, resource] of entries) {
    state.uint32(18).fork().uint32(10).string(key).uint32(18).fork();
    resource(state);
    state.join().join();
  }
  return new BinaryWriter().uint32(10).fork().uint32(10).string('t').join().uint32(26).bytes(state.finish()).finish();
}

const struct = (kind: string) => (w: BinaryWriter): void => {
  w.uint32(10).fork().uint32(10).fork().uint32(10).string('kind').uint32(18).fork().uint32(26).string(kind).join().join().join();
};
const withReady = (ready: number) => (w: BinaryWriter): void => { struct('Bucket')(w); w.uint32(24).int32(ready); };

describe('the desired composed resources of a lazily decoded request, unread', () => {
  const cases: Record<string, { reason: string; entries: Array<[string, (w: BinaryWriter) => void]>; raw: boolean }> = {
    plain: { reason: 'keys, Structs and ready states as Go writes them: written back as they came, never built', entries: [['b', withReady(1)], ['a', struct('Queue')], ['c', withReady(2)]], raw: true },
    empty: { reason: 'a Resource without fields', entries: [['a', () => undefined]], raw: true },
    'connection details': { reason: 'a map of their own: read and encoded', entries: [['a', (w) => { struct('Db')(w); w.uint32(18).fork().uint32(10).string('pw').uint32(18).bytes(Buffer.from('x')).join(); }]], raw: false },
    'empty key': { reason: 'Go writes an empty key, the SDK does not', entries: [['', struct('A')]], raw: false },
    'repeated key': { reason: 'the later value in the first place, as the SDK reads it', entries: [['a', struct('First')], ['b', struct('B')], ['a', struct('Second')]], raw: false },
    'ready zero': { reason: 'a zero written out, which the SDK leaves out', entries: [['a', withReady(0)]], raw: false },
    'non-ASCII key': { reason: 'a key is re-encoded from its text', entries: [['é', struct('A')]], raw: false },
    'proto key': { reason: 'a key an object does not keep', entries: [['__proto__', struct('A')], ['a', struct('B')]], raw: false },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    const bytes = desiredBytes(c.entries);
    const req = decodeRequest(bytes, 'lazy');
    const lazy = encodeResponse(respond(req, 60));
    const unread = Object.getOwnPropertyDescriptor(req.desired, 'resources')?.get !== undefined;
    const sdk = Buffer.from(RunFunctionResponse.encode(respond(decodeRequest(bytes, 'sdk'), 60)).finish());
    expect({ same: lazy.equals(sdk), unread }, c.reason).toEqual({ same: true, unread: c.raw });
  });
});
