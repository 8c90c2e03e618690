/**
 * boundedFetch wraps fetch so that one exchange with a model can neither outlast
 * `signal` nor return more than `maxBytes`: the body is read here, under both
 * bounds, and handed on whole. Error statuses come back as a JSON `{error}` body,
 * so the Ollama client reports them without printing anything itself.
 */
export function boundedFetch(signal: AbortSignal, maxBytes: number, base: typeof fetch = fetch): typeof fetch {
  return async (url, init) => {
    const combined = init?.signal ? AbortSignal.any([signal, init.signal]) : signal;
    const res = await base(url, { ...init, signal: combined });
    const body = await readBounded(res, maxBytes);
    if (!res.ok) {
      const error = `HTTP ${res.status}: ${errorText(body).slice(0, 200)}`;
      return new Response(JSON.stringify({ error }), { status: res.status, headers: { 'content-type': 'application/json' } });
    }
    return new Response(body, { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' } });
  };
}

/** AnswerTooLarge is thrown when a body passes its byte bound. */
export class AnswerTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer exceeds ${maxBytes} bytes`);
    this.name = 'AnswerTooLarge';
  }
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  if (res.body === null) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new AnswerTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: quote the text
  }
  return body.trim() === '' ? 'no body' : body.trim();
}
