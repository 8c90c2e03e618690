import { describe, expect, it } from 'vitest';
import { FUNCTION_DEFINITIONS } from '@scia/cli';
import { silentLogger } from '@scia/runtime';

// Every step reads its configuration once, at start, through the function kit:
// a variable that does not parse is one startup error naming it, never a
// silent default or a 0 ms budget.
const budgets: Record<string, { reason: string; value: string }> = {
  empty: { reason: 'an empty value is not 0 ms', value: '' },
  text: { reason: 'a word is not a number', value: 'abc' },
  negative: { reason: 'a budget cannot be negative', value: '-5' },
  zero: { reason: 'a 0 ms budget would answer every call as pending', value: '0' },
};

describe.each(Object.keys(FUNCTION_DEFINITIONS))('%s refuses a bad SCIA_CALL_BUDGET_MS', (name) => {
  it.each(Object.entries(budgets))('%s', async (_, { reason, value }) => {
    const def = await FUNCTION_DEFINITIONS[name]!();
    const built = def.build({ env: { SCIA_CALL_BUDGET_MS: value, SCIA_RAG_SEED: 'false' }, logger: silentLogger() });
    await expect(built, reason).rejects.toThrow(
      `invalid environment: SCIA_CALL_BUDGET_MS: must be a whole number of milliseconds from 1 to 600000, not ${JSON.stringify(value)}`,
    );
  });
});

describe('steps built twice in one process', () => {
  it('keep their own configuration and release only their own adapters', async () => {
    const def = await FUNCTION_DEFINITIONS['function-scia-render-aws']!();
    const a = await def.build({ env: { SCIA_NOW: '2026-01-01T00:00:00Z' }, logger: silentLogger() });
    const b = await def.build({ env: { SCIA_NOW: 'not a time' }, logger: silentLogger() }).catch((err: Error) => err.message);
    await a.close();
    await a.close();
    expect(b).toBe('invalid environment: SCIA_NOW: must be an RFC 3339 time such as 2026-01-01T00:00:00Z, not "not a time"');
  });
});

describe('function-scia-decide', () => {
  it('refuses an OLLAMA_HOST that is not a URL at start, without quoting it', async () => {
    const def = await FUNCTION_DEFINITIONS['function-scia-decide']!();
    await expect(def.build({ env: { OLLAMA_HOST: 'user:secret@ollama' }, logger: silentLogger() })).rejects.toThrow(
      /^invalid environment: OLLAMA_HOST: must be an http or https URL such as http:\/\/ollama\.scia-system:11434$/,
    );
  });
});
