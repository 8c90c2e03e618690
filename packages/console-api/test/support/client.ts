import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { KubeObject } from '@scia/console-api/testing';

/** GqlResult is a GraphQL response as sent over HTTP, with its status. */
export interface GqlResult {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** gql posts an operation to the console over HTTP, as `token` (none: no Authorization header). */
export async function gql(url: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult, 'status'>;
  return { status: res.status, ...body };
}

/** wsClient connects to the console over graphql-ws as `token` (none: no connection params). */
export function wsClient(url: string, token: string | undefined, onClose?: (code: number, reason: string) => void): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    on: { closed: (e) => onClose?.((e as { code: number }).code, (e as { reason: string }).reason) },
  });
}

/** Collected gathers a subscription's messages until told to stop. */
export interface Collected {
  messages: Array<Record<string, unknown>>;
  errors: unknown[];
  /** next resolves with the next message (or the first not yet taken). */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): void;
  done: Promise<void>;
}

/** collect subscribes and gathers what arrives. */
export function collect(client: Client, query: string, variables: Record<string, unknown> = {}): Collected {
  const messages: Array<Record<string, unknown>> = [];
  const errors: unknown[] = [];
  let taken = 0;
  let waiter: (() => void) | undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((ok) => (finish = ok));
  const stop = client.subscribe<Record<string, unknown>>({ query, variables }, {
    next: (m) => {
      if (m.errors !== undefined) errors.push(...m.errors);
      if (m.data != null) messages.push(m.data);
      waiter?.();
    },
    error: (e) => {
      if (Array.isArray(e)) errors.push(...(e as unknown[]));
      else errors.push(e);
      waiter?.();
      finish();
    },
    complete: () => finish(),
  });
  return {
    messages, errors, done, stop,
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length <= taken) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error(`no message within ${timeoutMs} ms`);
        await new Promise<void>((ok) => {
          waiter = ok;
          setTimeout(ok, 50);
        });
      }
      const m = messages[taken];
      taken += 1;
      return m ?? {};
    },
  };
}

/** claim builds a Deployment claim as a team (and then Crossplane, through `status`) writes it. */
export function claim(namespace: string, name: string, opts: { spec?: Record<string, unknown>; status?: Record<string, unknown>; labels?: Record<string, string>; created?: string } = {}): KubeObject {
  return {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'Deployment',
    metadata: { name, namespace, ...(opts.labels === undefined ? {} : { labels: opts.labels }), ...(opts.created === undefined ? {} : { creationTimestamp: opts.created }) },
    spec: { repository: { url: `https://github.com/acme/${name}`, ref: 'main' }, region: 'eu-west-3', prompt: 'a small API', ...opts.spec },
    ...(opts.status === undefined ? {} : { status: opts.status }),
  };
}

/** eventually retries `check` until it passes or `timeoutMs` runs out. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((ok) => setTimeout(ok, 25));
    }
  }
}
