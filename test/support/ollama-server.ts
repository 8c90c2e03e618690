import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** ChatCall is one /api/chat request as the server received it. */
export interface ChatCall {
  model: string;
  messages: { role: string; content: string }[];
  format: unknown;
  stream: unknown;
  options: Record<string, unknown>;
}

/** EmbedCall is one /api/embed request as the server received it. */
export interface EmbedCall {
  model: string;
  input: string[];
}

/** Reply is what the scripted server does with one request. */
export type Reply =
  | { kind: 'content'; content: string }
  | { kind: 'status'; status: number; body: string; contentType?: string }
  | { kind: 'hang' }
  | { kind: 'embeddings'; embeddings: number[][] };

/** ChatScript decides the reply to the n-th chat call (n from 0). */
export type ChatScript = (call: ChatCall, n: number) => Reply | Promise<Reply>;
export type EmbedScript = (call: EmbedCall, n: number) => Reply | Promise<Reply>;

/** reply builds the common replies and faults. */
export const reply = {
  /** json answers with `value` serialized as the assistant's content (what `format` asks for). */
  json: (value: unknown): Reply => ({ kind: 'content', content: JSON.stringify(value) }),
  /** prose answers with text that is not JSON. */
  prose: (text = 'Sure! For this app I would pick Kubernetes, because it scales nicely.'): Reply => ({ kind: 'content', content: text }),
  /** error answers with an HTTP status and Ollama's `{error}` body. */
  error: (status = 500, message = 'model runner has unexpectedly stopped'): Reply =>
    ({ kind: 'status', status, body: JSON.stringify({ error: message }), contentType: 'application/json' }),
  /** hang never answers: the client's timeout must end the call. */
  hang: (): Reply => ({ kind: 'hang' }),
  /** huge answers with a content of about `bytes` bytes (a JSON string that never ends usefully). */
  huge: (bytes = 10 * 1024 * 1024): Reply => ({ kind: 'content', content: `{"strategy":"vm","reason":"${'a'.repeat(bytes)}"}` }),
};

/**
 * followPlanted is a model that obeys instructions planted in the data it is
 * given: when any message contains `ANSWER WITH: {...}`, it answers that JSON
 * verbatim; otherwise `fallback`.
 */
export function followPlanted(fallback: Reply): ChatScript {
  return (call) => {
    for (const m of call.messages) {
      const at = m.content.indexOf('ANSWER WITH: ');
      if (at === -1) continue;
      const rest = m.content.slice(at + 'ANSWER WITH: '.length);
      const end = rest.indexOf('}}');
      if (end !== -1) return { kind: 'content', content: rest.slice(0, end + 2).replace(/\\"/g, '"') };
    }
    return fallback;
  };
}

/** hashEmbedding is a deterministic unit vector of `dims` for `text`. */
export function hashEmbedding(text: string, dims = 384): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().split(/\W+/).filter((w) => w !== '')) {
    const h = createHash('sha256').update(word).digest();
    v[h.readUInt32BE(0) % dims] = (v[h.readUInt32BE(0) % dims] ?? 0) + ((h[4] ?? 0) % 2 === 0 ? 1 : -1);
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export interface OllamaServer {
  /** url is `http://127.0.0.1:PORT`, the value for OLLAMA_HOST. */
  readonly url: string;
  readonly chatCalls: ChatCall[];
  /** chatHeaders holds the HTTP headers of each chat call, in the order of chatCalls. */
  readonly chatHeaders: IncomingHttpHeaders[];
  readonly embedCalls: EmbedCall[];
  /** chat replaces the chat script. */
  chat(script: ChatScript): void;
  embed(script: EmbedScript): void;
  close(): Promise<void>;
}

interface ServerState {
  chat: ChatScript;
  embed: EmbedScript;
  chatCalls: ChatCall[];
  chatHeaders: IncomingHttpHeaders[];
  embedCalls: EmbedCall[];
  hung: Set<ServerResponse>;
}

/**
 * startOllamaServer serves Ollama's /api/chat (stream false: one JSON object;
 * stream true: NDJSON), /api/embed, /api/version and /api/tags on 127.0.0.1 and
 * a free port, each answer scripted by the test. Hung requests end when the
 * client goes away or the server closes.
 */
export async function startOllamaServer(opts: { chat?: ChatScript; embed?: EmbedScript } = {}): Promise<OllamaServer> {
  const state: ServerState = {
    chat: opts.chat ?? (() => reply.error(404, 'no chat script')),
    embed: opts.embed ?? ((call) => ({ kind: 'embeddings', embeddings: call.input.map((t) => hashEmbedding(t)) })),
    chatCalls: [],
    chatHeaders: [],
    embedCalls: [],
    hung: new Set(),
  };
  const server: Server = createServer((req, res) => {
    void route(state, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(err) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    chatCalls: state.chatCalls,
    chatHeaders: state.chatHeaders,
    embedCalls: state.embedCalls,
    chat: (script) => { state.chat = script; },
    embed: (script) => { state.embed = script; },
    close: async () => {
      for (const res of state.hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function route(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && path === '/api/version') return send(res, 200, { version: '0.12.0' });
  if (req.method === 'GET' && path === '/api/tags') return send(res, 200, { models: [] });
  if (req.method !== 'POST' || (path !== '/api/chat' && path !== '/api/embed')) return send(res, 404, { error: 'not found' });
  const body = await readJson(req);
  if (path === '/api/chat') {
    const call = toChatCall(body);
    state.chatCalls.push(call);
    state.chatHeaders.push(req.headers);
    return answer(state, res, call.model, await state.chat(call, state.chatCalls.length - 1), call.stream === true);
  }
  const call = toEmbedCall(body);
  state.embedCalls.push(call);
  return answer(state, res, call.model, await state.embed(call, state.embedCalls.length - 1), false);
}

function answer(state: ServerState, res: ServerResponse, model: string, r: Reply, stream: boolean): void {
  if (r.kind === 'hang') {
    state.hung.add(res);
    res.on('close', () => state.hung.delete(res));
    return;
  }
  if (r.kind === 'status') {
    res.writeHead(r.status, { 'content-type': r.contentType ?? 'text/plain' }).end(r.body);
    return;
  }
  if (r.kind === 'embeddings') return send(res, 200, { model, embeddings: r.embeddings });
  const done = { model, created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: r.content }, done: true, done_reason: 'stop', total_duration: 1, eval_count: 1 };
  if (!stream) return send(res, 200, done);
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.write(`${JSON.stringify({ ...done, done: false, done_reason: undefined })}\n`);
  res.end(`${JSON.stringify({ ...done, message: { role: 'assistant', content: '' } })}\n`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // Large bodies go out in chunks, as a real server streams them.
  res.writeHead(status, { 'content-type': 'application/json' });
  for (let i = 0; i < text.length; i += 64 * 1024) res.write(text.slice(i, i + 64 * 1024));
  res.end();
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function toChatCall(body: Record<string, unknown>): ChatCall {
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  return {
    model: str(body['model']),
    messages: messages.map((m: unknown) => {
      const o = typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
      return { role: str(o['role']), content: str(o['content']) };
    }),
    format: body['format'],
    stream: body['stream'],
    options: typeof body['options'] === 'object' && body['options'] !== null ? (body['options'] as Record<string, unknown>) : {},
  };
}

function toEmbedCall(body: Record<string, unknown>): EmbedCall {
  const input = body['input'];
  return { model: str(body['model']), input: Array.isArray(input) ? input.map(str) : [str(input)] };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
