import { describe, expect, it } from 'vitest';
import { newLogger } from '@scia/runtime';

describe('newLogger', () => {
  it('redacts every line, whatever carries the secret, and keeps it JSON', () => {
    const lines: string[] = [];
    const log = newLogger({ name: 'function-test', sink: { write: (l) => lines.push(l) } });
    log.info({ store: 'postgres://scia:PLANTED-1@db:5432/scia' }, 'opened the store');
    log.warn({ config: { password: 'PLANTED-2', host: 'db' } }, 'cannot migrate');
    log.error({ err: new Error('cannot ask model', { cause: new Error('GET http://u:PLANTED-3@ollama:11434/api/chat?token=PLANTED-4') }) }, 'decide failed');
    log.info(`retrying with Authorization: Bearer PLANTED-5-abcdefgh`);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect({ count: lines.length, leaked: lines.filter((l) => l.includes('PLANTED')), msgs: parsed.map((p) => p['msg']), host: (parsed[1]?.['config'] as Record<string, unknown>)['host'] }).toEqual({
      count: 4,
      leaked: [],
      msgs: ['opened the store', 'cannot migrate', 'decide failed', 'retrying with Authorization: Bearer ***'],
      host: 'db',
    });
  });
});
