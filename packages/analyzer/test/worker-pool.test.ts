import { describe, expect, it } from 'vitest';
import { WorkerPool } from '@scia/analyzer';

const script = new URL('./support/pool-worker.mjs', import.meta.url);

describe('WorkerPool', () => {
  it('stops a job at its time cap and a job past its heap cap, and serves the next ones', async () => {
    const pool = new WorkerPool(script, { size: 1, maxHeapMb: 32 });
    try {
      const spun = await pool.run('spin', {}, 300);
      const grown = await pool.run('grow', {}, 30_000);
      const after = await pool.run('echo', { n: 1 }, 5_000);
      expect({ spun, grown: grown.ok ? 'ok' : /the analysis worker (stopped|exited)/.test(grown.error), after }).toEqual({
        spun: { ok: false, error: 'took longer than the 300 ms time cap' },
        grown: true,
        after: { ok: true, value: { n: 1 } },
      });
    } finally {
      await pool.close();
    }
  });

  it('runs at most `size` jobs at once, the others in arrival order', async () => {
    const pool = new WorkerPool(script, { size: 2, maxHeapMb: 64 });
    try {
      const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run('echo', { n }, 10_000)));
      expect(answers).toEqual([1, 2, 3, 4, 5].map((n) => ({ ok: true, value: { n } })));
    } finally {
      await pool.close();
    }
  });
});
