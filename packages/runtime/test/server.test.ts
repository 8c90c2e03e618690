import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { service as healthService } from 'grpc-health-check';
import {
  Ready,
  RunFunctionRequest,
  Severity,
  Target,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import {
  dialFunction,
  FUNCTION_SERVICE,
  FunctionMetrics,
  mutualTlsCredentials,
  readTlsDir,
  respond,
  serveMetrics,
  setContext,
  setDesiredResource,
  startFunctionServer,
  TRANSPORTS,
  type RunFn,
  type RunningFunctionServer,
} from '@scia/runtime';
import { makeTestPki, type TestPki } from '../../../test/support/certs.js';

const request = (): RunFunctionRequest =>
  RunFunctionRequest.fromPartial({
    meta: { tag: 'tag-1234' },
    observed: { composite: { resource: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'app' } } } },
    desired: { resources: { earlier: { resource: { apiVersion: 'v1', kind: 'ConfigMap' } } } },
    context: { 'scia.io/analysis': { language: 'python' } },
  });

/** addsBucket sets one composed resource and one context key, with a 30 s TTL. */
const addsBucket: RunFn = (req) => {
  const rsp = respond(req, 30);
  setDesiredResource(rsp, 'bucket', { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket' }, Ready.READY_TRUE);
  setContext(rsp, 'scia.io/decision', { strategy: 'vm' });
  return rsp;
};

const throws: RunFn = () => {
  throw new Error('boom');
};

const tls = (pki: TestPki, cert?: Buffer, key?: Buffer): grpc.ChannelCredentials =>
  grpc.credentials.createSsl(pki.ca, key ?? null, cert ?? null);

const earlier = { resource: { apiVersion: 'v1', kind: 'ConfigMap' }, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED };

describe.each(TRANSPORTS)('function server on %s', (transport) => {
  let pki: TestPki;
  let insecure: RunningFunctionServer;
  let secure: RunningFunctionServer;
  let failing: RunningFunctionServer;

  beforeAll(async () => {
    pki = makeTestPki();
    const plain = grpc.ServerCredentials.createInsecure();
    insecure = await startFunctionServer({ name: 'adds-bucket', run: addsBucket, address: '127.0.0.1:0', credentials: plain, transport });
    secure = await startFunctionServer({
      name: 'adds-bucket',
      transport,
      run: addsBucket,
      address: '127.0.0.1:0',
      credentials: mutualTlsCredentials(await readTlsDir(pki.serverDir)),
    });
    failing = await startFunctionServer({ name: 'throws', run: throws, address: '127.0.0.1:0', credentials: plain, transport });
  });
  afterAll(async () => {
    await Promise.all([insecure.shutdown(100), secure.shutdown(100), failing.shutdown(100)]);
  });

  const want: RunFunctionResponse = {
    meta: { tag: 'tag-1234', ttl: { seconds: 30, nanos: 0 } },
    desired: {
      composite: undefined,
      resources: {
        earlier,
        bucket: { resource: { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket' }, connectionDetails: {}, ready: Ready.READY_TRUE },
      },
    },
    results: [],
    context: { 'scia.io/analysis': { language: 'python' }, 'scia.io/decision': { strategy: 'vm' } },
    requirements: undefined,
    conditions: [],
    output: undefined,
  };

  const cases: Record<string, { reason: string; target: () => string; creds: () => grpc.ChannelCredentials; want: RunFunctionResponse }> = {
    insecure: {
      reason: 'An insecure server echoes the tag, sets the TTL, keeps earlier desired resources and context, adds its own.',
      target: () => insecure.address,
      creds: () => grpc.credentials.createInsecure(),
      want,
    },
    mutualTls: {
      reason: 'A mutual TLS server answers a client presenting a certificate signed by its CA.',
      target: () => `localhost:${secure.port}`,
      creds: () => tls(pki, pki.clientCert, pki.clientKey),
      want,
    },
    thrownError: {
      reason: "A handler's thrown error becomes a Fatal result naming the function, with desired state passed through.",
      target: () => failing.address,
      creds: () => grpc.credentials.createInsecure(),
      want: {
        meta: { tag: 'tag-1234', ttl: { seconds: 60, nanos: 0 } },
        desired: { composite: undefined, resources: { earlier } },
        results: [{ severity: Severity.SEVERITY_FATAL, message: 'cannot run function throws: boom', target: Target.TARGET_COMPOSITE }],
        context: { 'scia.io/analysis': { language: 'python' } },
        requirements: undefined,
        conditions: [],
        output: undefined,
      },
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, tc) => {
    const client = dialFunction(tc.target(), tc.creds());
    try {
      const got = await client.run(request(), 5_000);
      expect(got, tc.reason).toEqual(tc.want);
    } finally {
      client.close();
    }
  });

  it.each([
    ['no client certificate', (p: TestPki) => tls(p)],
    ['a certificate from another CA', (p: TestPki) => tls(p, p.strangerCert, p.strangerKey)],
  ])('refuses a client with %s', async (_name, creds) => {
    const client = dialFunction(`localhost:${secure.port}`, creds(pki));
    try {
      await expect(client.run(request(), 3_000)).rejects.toThrow(/cannot run function at localhost/);
    } finally {
      client.close();
    }
  });

  it('reports the port it bound when asked for port 0', () => {
    expect(insecure.port).toBeGreaterThan(0);
    expect(insecure.address).toBe(`127.0.0.1:${insecure.port}`);
  });

  it('fails to start with a clear error when the port is taken', async () => {
    const address = `127.0.0.1:${insecure.port}`;
    await expect(
      startFunctionServer({ name: 'dup', run: addsBucket, address, credentials: grpc.ServerCredentials.createInsecure(), transport }),
    ).rejects.toThrow(`cannot listen on ${address}`);
  });

  it('answers gRPC health checks for the server and the function service', async () => {
    const Health = grpc.makeGenericClientConstructor(healthService, 'Health');
    const client = new Health(insecure.address, grpc.credentials.createInsecure());
    const check = (svc: string): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const method = client['Check'] as (r: { service: string }, cb: (e: grpc.ServiceError | null, v?: unknown) => void) => void;
        method.call(client, { service: svc }, (err, value) => (err === null ? resolve(value) : reject(err)));
      });
    try {
      expect(await check('')).toEqual({ status: 'SERVING' });
      expect(await check(FUNCTION_SERVICE)).toEqual({ status: 'SERVING' });
      await expect(check('no.such.Service')).rejects.toThrow(/NOT_FOUND/);
    } finally {
      client.close();
    }
  });

  it('survives a malformed request and keeps serving', async () => {
    const identity = (b: Buffer): Buffer => b;
    const Raw = grpc.makeGenericClientConstructor(
      {
        runFunction: {
          path: '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction',
          requestStream: false,
          responseStream: false,
          requestSerialize: identity,
          requestDeserialize: identity,
          responseSerialize: identity,
          responseDeserialize: identity,
        },
      },
      'Raw',
    );
    const raw = new Raw(insecure.address, grpc.credentials.createInsecure());
    const send = (bytes: Buffer): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const method = raw['runFunction'] as (r: Buffer, cb: (e: grpc.ServiceError | null, v?: unknown) => void) => void;
        method.call(raw, bytes, (err, value) => (err === null ? resolve(value) : reject(err)));
      });
    try {
      // A length-delimited field whose length runs past the end of the message.
      await expect(send(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]))).rejects.toThrow();
    } finally {
      raw.close();
    }
    const client = dialFunction(insecure.address);
    try {
      expect((await client.run(request(), 5_000)).meta?.tag).toBe('tag-1234');
    } finally {
      client.close();
    }
  });
});

describe.each(TRANSPORTS)('metrics on %s', (transport) => {
  it('counts calls by severity and times them, served over HTTP', async () => {
    const metrics = new FunctionMetrics();
    let calls = 0;
    const run: RunFn = (req) => {
      calls++;
      if (calls === 3) throw new Error('third call fails');
      return respond(req, 60);
    };
    const credentials = grpc.ServerCredentials.createInsecure();
    const server = await startFunctionServer({ name: 'm', run, address: '127.0.0.1:0', credentials, metrics, transport });
    const http = await serveMetrics(metrics, '127.0.0.1:0');
    const client = dialFunction(server.address);
    try {
      for (let i = 0; i < 3; i++) await client.run(request(), 5_000);
      const body = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
      expect(body).toContain('function_run_function_requests_total{function="m"} 3');
      expect(body).toContain('function_run_function_seconds_count{function="m"} 3');
      expect(body).toContain('function_run_function_responses_total{function="m",severity="none"} 2');
      expect(body).toContain('function_run_function_responses_total{function="m",severity="fatal"} 1');
      expect((await fetch(`http://127.0.0.1:${http.port}/other`)).status).toBe(404);
    } finally {
      client.close();
      http.server.close();
      await server.shutdown(100);
    }
  });
});
