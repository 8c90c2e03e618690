import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { LRUCache } from 'lru-cache';
import { createOllamaDecider, modelName, type ModelDecider } from '@scia/decider';

/** OLLAMA_CREDENTIALS is the name of the function credentials that may carry `host` and `model`. */
export const OLLAMA_CREDENTIALS = 'ollama';

export interface ModelConfig {
  /** host is the default Ollama server (env OLLAMA_HOST); none means the rules decide. */
  host?: string | undefined;
  model?: string | undefined;
  timeoutMs?: number | undefined;
}

/**
 * modelSource returns how a request finds its model: the function's `ollama`
 * credentials (keys `host`, optional `model`) when Crossplane passes them, else
 * the configured host, else none. Deciders are built once per host and model.
 */
export function modelSource(config: ModelConfig): (req: RunFunctionRequest) => ModelDecider | undefined {
  // Hosts and models come from credentials too: keep the deciders of the few most recently used.
  const built = new LRUCache<string, ModelDecider>({ max: 32 });
  const get = (host: string, model: string): ModelDecider => {
    const key = `${host}\n${model}`;
    let decider = built.get(key);
    if (decider === undefined) {
      decider = createOllamaDecider({ host, model, timeoutMs: config.timeoutMs });
      built.set(key, decider);
    }
    return decider;
  };
  return (req) => {
    const data = req.credentials?.[OLLAMA_CREDENTIALS]?.credentialData?.data ?? {};
    const host = text(data['host']) ?? config.host;
    if (host === undefined) return undefined;
    return get(host, modelName({ host, model: text(data['model']) ?? config.model }));
  };
}

function text(b: Buffer | undefined): string | undefined {
  const s = b?.toString('utf8').trim();
  return s === undefined || s === '' ? undefined : s;
}
