import { createClient, type Client } from 'graphql-ws';

/** ApiError is a failed request: `status` 401 means the token was refused, 0 a network failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/** Api is the dashboard's only way to the team API: every request carries the user's token. */
export interface Api {
  request<T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T>;
  /** subscribe calls onData per event until the returned function is called. */
  subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void, onError: (e: ApiError) => void): () => void;
  /** onLive tells whether the live-updates socket is connected, now and on every change, until the returned function is called. */
  onLive(listener: (live: boolean) => void): () => void;
  close(): void;
}

interface GraphQLResponse {
  data?: unknown;
  errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
}

/**
 * createApi talks to the team API at `endpoint` (`/graphql` on the page's own
 * origin): queries and mutations over HTTP POST, subscriptions over graphql-ws
 * with the token in the connection_init payload. It asks for nothing else, so
 * the page reaches only what the user's own Kubernetes rights allow.
 */
export function createApi(token: string, endpoint = new URL('graphql', document.baseURI)): Api {
  const authorization = `Bearer ${token}`;
  let ws: Client | null = null;
  let live = false;
  const listeners = new Set<(live: boolean) => void>();
  const setLive = (now: boolean): void => {
    live = now;
    for (const l of listeners) l(now);
  };
  const socket = (): Client => {
    ws ??= createClient({
      url: endpoint.href.replace(/^http/, 'ws'),
      connectionParams: { authorization },
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      on: { connected: () => setLive(true), closed: () => setLive(false) },
    });
    return ws;
  };
  return {
    async request<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization },
          body: JSON.stringify({ query, variables }),
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (e) {
        throw new ApiError('cannot reach the team API', 0, { cause: e });
      }
      return readResponse<T>(res);
    },
    subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void, onError: (e: ApiError) => void): () => void {
      return socket().subscribe<T>(
        { query, variables },
        {
          next: (msg) => {
            if (msg.errors !== undefined && msg.errors.length > 0) onError(new ApiError(msg.errors.map((e) => e.message).join('; '), 200));
            else if (msg.data !== undefined && msg.data !== null) onData(msg.data);
          },
          error: (e) => onError(new ApiError(closeMessage(e), closeStatus(e), { cause: e })),
          complete: () => undefined,
        },
      );
    },
    onLive(listener: (live: boolean) => void): () => void {
      listeners.add(listener);
      listener(live);
      return () => listeners.delete(listener);
    },
    close(): void {
      listeners.clear();
      void ws?.dispose();
      ws = null;
    },
  };
}

async function readResponse<T>(res: Response): Promise<T> {
  if (res.status === 401) throw new ApiError('the team API refused the token (401): sign in again', 401);
  let body: GraphQLResponse;
  try {
    body = (await res.json()) as GraphQLResponse;
  } catch (e) {
    throw new ApiError(`cannot read the team API's answer (HTTP ${res.status})`, res.status, { cause: e });
  }
  if (body.errors !== undefined && body.errors.length > 0) {
    const unauthenticated = body.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
    throw new ApiError(body.errors.map((e) => e.message).join('; '), unauthenticated ? 401 : res.status);
  }
  if (!res.ok || body.data === undefined || body.data === null) throw new ApiError(`the team API answered HTTP ${res.status}`, res.status);
  return body.data as T;
}

function closeStatus(e: unknown): number {
  // graphql-ws closes with 4401/4403 when the connection_init token is refused.
  return e instanceof CloseEvent && (e.code === 4401 || e.code === 4403) ? 401 : 0;
}

function closeMessage(e: unknown): string {
  if (e instanceof CloseEvent) return `the live updates closed (${e.code}${e.reason === '' ? '' : `: ${e.reason}`})`;
  if (e instanceof Error) return e.message;
  return 'the live updates failed';
}
