import type { Result } from '@scia/api';
import type { Ollama } from 'ollama';
import { z } from 'zod';
import { redact } from '@scia/api';
import { LLM_ANSWER_JSON_SCHEMA, checkAnswer, type LlmAnswer } from './answer.js';
import { AnswerTooLarge, boundedFetch } from './bounded-fetch.js';
import type { DecideInput } from './facts.js';
import { MODEL_NONE } from './hash.js';
import { buildMessages, retryMessage, type ChatMessage } from './prompt.js';

/** DEFAULT_MODEL is the Ollama model asked when none is configured. */
export const DEFAULT_MODEL = 'qwen2.5-coder:7b';

/**
 * modelName is the model a decision is asked of, as it enters the input hash:
 * with a host, the configured model or DEFAULT_MODEL; without one, MODEL_NONE.
 */
export function modelName(config: { host?: string | undefined; model?: string | undefined }): string {
  return config.host === undefined ? MODEL_NONE : (config.model ?? DEFAULT_MODEL);
}

/** Proposal is a model's validated answer, with how many asks it took. */

/** ModelDecider proposes a decision from a model; the rules stay in charge of anything it gets wrong. */
export interface ModelDecider {
  readonly model: string;
  propose(input: DecideInput): Promise<Result<{ answer: LlmAnswer; attempts: number }>>;
}

export interface OllamaDeciderOptions {
  host: string;
  model?: string | undefined;
  /** timeoutMs bounds one proposal, retry included (default 120 s: a 7B model on CPU is slow). */
  timeoutMs?: number | undefined;
  /** maxAnswerBytes bounds each HTTP answer (default 256 KiB). */
  maxAnswerBytes?: number | undefined;
  seed?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/**
 * createOllamaDecider asks an Ollama server's /api/chat for a structured answer:
 * `format` is LlmAnswer's JSON schema, temperature 0 and a fixed seed, no
 * streaming. A rejected answer is asked again once, quoting why.
 */
export function createOllamaDecider(opts: OllamaDeciderOptions): ModelDecider {
  const model = opts.model ?? DEFAULT_MODEL;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const maxBytes = opts.maxAnswerBytes ?? 256 * 1024;
  const seed = opts.seed ?? 42;
  // Results become Kubernetes events: the host's userinfo, and anything secret an error quotes, never reach them.
  const where = `model ${model} at ${redact(opts.host)}`;
  return {
    model,
    async propose(input) {
      // The client (and the fetch polyfill it brings) loads when a model is first asked, not with the decider.
      const { Ollama } = await import('ollama');
      const signal = AbortSignal.timeout(timeoutMs);
      let client: Ollama;
      try {
        client = new Ollama({ ...hostAndAuth(opts.host), fetch: boundedFetch(signal, maxBytes, opts.fetch) });
      } catch (err) {
        // A host from a team's credential may not be a URL at all: the rules decide, with a Warning.
        return { ok: false, error: redact(`cannot reach ${where}: ${err instanceof Error ? err.message : String(err)}`) };
      }
      const ask = (messages: ChatMessage[]): Promise<Asked> => askOnce(client, { model, messages, seed }, signal, timeoutMs);
      const messages = buildMessages(input);
      const first = await ask(messages);
      if (!first.ok) return { ok: false, error: redact(`cannot ask ${where}: ${first.error}`) };
      const checked = checkAnswer(first.value);
      if (checked.ok) return { ok: true, value: { answer: checked.value, attempts: 1 } };
      const second = await ask([...messages, { role: 'assistant', content: first.value.slice(0, 2000) }, retryMessage(checked.error)]);
      if (!second.ok) return { ok: false, error: redact(`cannot ask ${where} again (first answer: ${checked.error}): ${second.error}`) };
      const rechecked = checkAnswer(second.value);
      if (rechecked.ok) return { ok: true, value: { answer: rechecked.value, attempts: 2 } };
      return { ok: false, error: redact(`cannot use the answer of ${where}, even after one retry: ${rechecked.error}`) };
    },
  };
}

/**
 * hostAndAuth moves credentials out of the host URL (`http://user:pass@host`,
 * as a proxy in front of Ollama may require) into an Authorization header:
 * fetch refuses a URL that carries them, and the URL is quoted in messages.
 */
function hostAndAuth(host: string): { host: string; headers?: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    return { host };
  }
  if (url.username === '' && url.password === '') return { host };
  const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
  url.username = '';
  url.password = '';
  return { host: url.href.replace(/\/$/, ''), headers: { Authorization: `Basic ${basic}` } };
}

const ChatAnswer = z.object({ message: z.object({ content: z.string() }) });

type Asked = { ok: true; value: string } | { ok: false; error: string };

async function askOnce(
  client: Ollama,
  req: { model: string; messages: ChatMessage[]; seed: number },
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Asked> {
  try {
    const rsp = await client.chat({
      model: req.model,
      messages: req.messages,
      format: LLM_ANSWER_JSON_SCHEMA,
      stream: false,
      options: { temperature: 0, seed: req.seed },
    });
    const parsed = ChatAnswer.safeParse(rsp);
    if (!parsed.success) return { ok: false, error: 'the answer has no message content' };
    return { ok: true, value: parsed.data.message.content };
  } catch (err) {
    if (signal.aborted) return { ok: false, error: `no answer within ${timeoutMs} ms` };
    if (err instanceof AnswerTooLarge) return { ok: false, error: err.message };
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
