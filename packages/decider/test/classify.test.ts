import { describe, expect, it } from 'vitest';
import type { Cause } from '@scia/api';
import { classifyText } from '../src/index.js';

/** Comments and provider messages as teams and clusters write them, with the causes they name. */
const cases: Record<string, { reason: string; text: string; want: Cause[] }> = {
  oomKilled: { reason: 'Kubernetes names the kill', text: 'pod restarted: OOMKilled (exit code 137)', want: ['out-of-memory'] },
  memoryError: { reason: 'a Python stack trace', text: 'MemoryError in the logs, the process is killed', want: ['out-of-memory'] },
  lambdaMemory: { reason: 'Lambda reports the memory it used', text: 'REPORT Duration: 812 ms Max Memory Used: 512 MB', want: ['out-of-memory'] },
  cuda: { reason: 'torch without a device', text: 'CUDA error: no CUDA-capable device is detected', want: ['needs-gpu'] },
  nvidia: { reason: 'the driver is missing', text: 'model server exits: no NVIDIA driver found', want: ['needs-gpu'] },
  coldStart: { reason: 'a cold start is a kind of slowness, named once', text: 'cold starts of several seconds, customers see timeouts', want: ['cold-start'] },
  fromZero: { reason: 'scaling from zero', text: 'latency spikes every time it scales from zero', want: ['cold-start'] },
  slow: { reason: 'plain slowness', text: 'p99 is 4 s under load, too slow for checkout', want: ['too-slow'] },
  timeout: { reason: 'a Lambda timeout', text: 'Task timed out after 30.03 seconds', want: ['too-slow'] },
  bill: { reason: 'money', text: 'the bill is far above what we agreed to spend', want: ['too-expensive'] },
  budget: { reason: 'the budget', text: 'costs more than our budget allows', want: ['too-expensive'] },
  websockets: { reason: 'websockets on Lambda', text: 'websocket connections drop after a few seconds', want: ['wrong-strategy'] },
  socket: { reason: 'a socket that will not stay', text: 'live updates never arrive, the socket keeps disconnecting', want: ['wrong-strategy'] },
  two: { reason: 'two causes at once, in table order', text: 'ran out of memory, and it is too expensive anyway', want: ['out-of-memory', 'too-expensive'] },
  none: { reason: 'a provider message with no cause in it', text: "want at least 1 healthy instance(s) in Auto Scaling Group, have 0", want: [] },
  praise: { reason: 'praise names nothing', text: 'works well', want: [] },
};

describe('classifyText', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    expect(classifyText(c.text), c.reason).toEqual(c.want);
  });

  it('reads several texts together and ignores missing ones', () => {
    expect(classifyText(undefined, 'OOMKilled', undefined, 'websocket closed')).toEqual(['out-of-memory', 'wrong-strategy']);
  });
});
