import { GraphQLError } from 'graphql';
import type { Logger } from '@scia/runtime';
import type { Access, Who } from './access.js';
import type { ClusterCache } from './cache.js';
import type { Cases } from './cases.js';
import type { UserKube } from './kube.js';
import type { ConsoleMetrics } from './metrics.js';
import type { Previewer } from './preview.js';

/** Deps are what the resolvers use, built once per server. */
export interface Deps {
  cache: ClusterCache;
  access: Access;
  kube: UserKube;
  /** cases is absent when the console runs without a deployments store. */
  cases: Cases | undefined;
  /** previewer is absent when previews are turned off. */
  previewer: Previewer | undefined;
  logger: Logger;
  metrics: ConsoleMetrics;
  /** fieldManager names the console in server-side apply and in managedFields. */
  fieldManager: string;
  /** previewSlots bounds the previews running at once. */
  previewSlots: Semaphore;
}

/** Ctx is one request's context: the caller's token and who it is, and the server's deps. */
export type Ctx = {
  token: string;
  who: Who;
  deps: Deps;
};

/** Code is a GraphQL error's `extensions.code`. */
export type Code = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'RATE_LIMITED' | 'UNAVAILABLE';

export function apiError(code: Code, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** FieldError is a mutation's error about one field of its input. */
export interface FieldError {
  field: string;
  message: string;
}

/** parseId splits `namespace/name`. */
export function parseId(id: string): { namespace: string; name: string } {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(id);
  if (m === null) throw apiError('BAD_USER_INPUT', `cannot read id ${JSON.stringify(id)}: want namespace/name`);
  return { namespace: m[1] ?? '', name: m[3] ?? '' };
}

/** Semaphore lets at most `n` holders in at once; the rest are refused, not queued. */
export class Semaphore {
  private held = 0;
  constructor(private readonly n: number) {}
  tryAcquire(): (() => void) | undefined {
    if (this.held >= this.n) return undefined;
    this.held += 1;
    let released = false;
    return () => {
      if (!released) this.held -= 1;
      released = true;
    };
  }
}
