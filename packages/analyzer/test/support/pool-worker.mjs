// A worker for WorkerPool's tests: `echo` answers its args, `spin` never
// returns (a CPU-bound job past its cap), `grow` allocates until the heap cap
// stops the thread.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (m) => {
  if (m.op === 'spin') for (;;);
  if (m.op === 'grow') {
    const hoard = [];
    for (;;) hoard.push(new Array(1e6).fill(hoard.length));
  }
  parentPort?.postMessage({ id: m.id, result: { ok: true, value: m.args } });
});
