import { describe, expect, it } from 'vitest';
import { clockFromEnv, systemClock } from '@scia/api';

describe('clockFromEnv', () => {
  it('is the system clock when SCIA_NOW is unset or empty', () => {
    expect(clockFromEnv({})).toBe(systemClock);
    expect(clockFromEnv({ SCIA_NOW: '' })).toBe(systemClock);
  });

  it('is fixed at SCIA_NOW, a new Date each call', () => {
    const clock = clockFromEnv({ SCIA_NOW: '2026-01-01T00:00:00Z' });
    const first = clock.now();
    first.setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses a value that is not a time, naming it', () => {
    expect(() => clockFromEnv({ SCIA_NOW: 'yesterday' })).toThrow('cannot parse SCIA_NOW "yesterday": want an RFC 3339 time');
  });
});
