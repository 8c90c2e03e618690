import { Writable } from 'node:stream';
import { mergeDesiredStatus, respond, setContext, setDesiredResource, type RunFn } from '@scia/runtime';
import type { BuiltinRegistry } from '@scia/render';
import type { Io } from '@scia/cli';

/** Captured is an Io whose streams are kept in memory. */
export interface Captured {
  io: Io;
  stdout(): string;
  stderr(): string;
}

export function capture(env: NodeJS.ProcessEnv = {}): Captured {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  return {
    io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env, cwd: process.cwd() },
    stdout: () => out,
    stderr: () => err,
  };
}

/** registry makes test functions in-process built-ins. */
export function registry(fns: Record<string, RunFn>): BuiltinRegistry {
  return Object.fromEntries(Object.entries(fns).map(([name, run]) => [name, () => Promise.resolve({ run, close: () => Promise.resolve() })]));
}

/** compose sets two composed Buckets, bucket-a and bucket-b. */
export const compose: RunFn = (req) => {
  const rsp = respond(req, 60);
  for (const name of ['bucket-a', 'bucket-b']) setDesiredResource(rsp, name, { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', spec: { forProvider: { region: 'eu-west-3' } } });
  return rsp;
};

/** echoContext copies the context into the XR status and adds a key of its own. */
export const echoContext: RunFn = (req) => {
  const rsp = respond(req, 60);
  mergeDesiredStatus(rsp, { context: req.context ?? {} });
  setContext(rsp, 'scia.io/echo', { steps: 1 });
  return rsp;
};

