import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { dialFunction, newLogger, requestLogger, respond, startFunctionServer, TRANSPORTS, type Logger, type RunFn, type RunningFunctionServer } from '@scia/runtime';

const request = (tag: string): RunFunctionRequest =>
  RunFunctionRequest.fromPartial({
    meta: { tag },
    observed: { composite: { resource: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'app' } } } },
  });

/** Each step logs what its name says, then answers (or throws). */
const steps: Record<string, RunFn> = {
  silent: (req) => respond(req, 60),
  'debug-only': (req, log) => {
    log.debug({ detail: 1 }, 'below the level');
    return respond(req, 60);
  },
  logs: (req, log) => {
    log.info({ repo: 'r', files: 3 }, 'analyzed %s', 'r');
    log.warn('cannot reach the store');
    log.error({ err: new Error('transient') }, 'cannot ask the model');
    return respond(req, 60);
  },
  throws: () => {
    throw new Error('boom');
  },
};

/** lines parses logged JSON lines, without what differs between two writes of the same line (time) or between two processes. */
const parse = (lines: string[]): Record<string, unknown>[] =>
  lines.map((l) => {
    const { time: _time, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(l) as Record<string, unknown>;
    if (typeof rest['err'] === 'object' && rest['err'] !== null) rest['err'] = { ...rest['err'], stack: undefined };
    return rest;
  });

describe.each(TRANSPORTS)('a call\'s logger on %s', (transport) => {
  const lines: string[] = [];
  const logger = newLogger({ name: 'function-test', sink: { write: (l) => lines.push(l) } });
  const child = vi.spyOn(logger, 'child');
  const servers = new Map<string, RunningFunctionServer>();

  beforeAll(async () => {
    for (const [name, run] of Object.entries(steps)) {
      servers.set(name, await startFunctionServer({ name, run, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), logger, transport }));
    }
  });
  afterAll(async () => {
    for (const server of servers.values()) await server.shutdown(100);
  });

  // Each case's reference writes, through a child built up front as every call's was before it was deferred, the lines the call must write.
  it.each([
    { reason: 'a step that logs nothing builds no child and writes nothing', step: 'silent', children: 0, count: 0, reference: (): void => undefined },
    { reason: 'a step that logs only below the level builds no child and writes nothing', step: 'debug-only', children: 0, count: 0, reference: (log: Logger): unknown => steps['debug-only']?.(request('x'), log) },
    { reason: 'a step that logs writes its lines with the XR and the tag, at their levels', step: 'logs', children: 1, count: 3, reference: (log: Logger): unknown => steps['logs']?.(request('x'), log) },
    { reason: 'a step that throws is logged as an error with the XR and the tag', step: 'throws', children: 1, count: 1, reference: (log: Logger): void => log.error({ err: new Error('boom') }, 'cannot run function throws') },
  ])('$reason', async ({ step, children, count, reference }) => {
    const server = servers.get(step);
    if (server === undefined) throw new Error(`no server for ${step}`);
    const client = dialFunction(server.address);
    lines.length = 0;
    child.mockClear();
    try {
      await client.run(request(`tag-${step}`));
    } finally {
      client.close();
    }
    const built = child.mock.calls.length;
    const logged = parse(lines.splice(0));
    reference(logger.child({ xr: 'app', tag: `tag-${step}` }));
    expect({ built, count: logged.length, logged }).toEqual({ built: children, count, logged: parse(lines.splice(0)) });
  });
});

describe('requestLogger', () => {
  it('writes a line as its parent does when the request cannot be read for its bindings', () => {
    const lines: string[] = [];
    const logger = newLogger({ name: 'function-test', sink: { write: (l) => lines.push(l) } });
    const unreadable = {
      meta: { tag: 'tag-1' },
      get observed(): never {
        throw new Error('cannot read the XR');
      },
    } as unknown as RunFunctionRequest;
    const log = requestLogger(logger, unreadable);
    log.warn({ tag: 'tag-1' }, 'cannot read a request');
    logger.warn({ tag: 'tag-1' }, 'cannot read a request');
    const [got, want] = parse(lines);
    expect({ created: log.created, count: lines.length, got }).toEqual({ created: false, count: 2, got: want });
  });
});
