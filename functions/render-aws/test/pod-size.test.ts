import { describe, expect, it } from 'vitest';
import { runFunction } from '@scia/function-render-aws';
import { at, desiredResources } from './fixtures/check.js';
import { analysis, decision, request, spec, xr } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };

/** containerResources renders a Kubernetes decision and returns its app container's resources. */
async function containerResources(config: Record<string, unknown>): Promise<unknown> {
  const rsp = await runFunction(
    request({
      xr: xr('cluster', spec({ policies: [] })),
      context: { 'scia.io/decision': decision({ strategy: 'kubernetes', config }), 'scia.io/analysis': analysis() },
    }),
    { clock },
  );
  return at(desiredResources(rsp)['workload-deployment'], 'spec', 'forProvider', 'manifest', 'spec', 'template', 'spec', 'containers', 0, 'resources');
}

describe('pod size follows the decision', () => {
  const cases: Record<string, { reason: string; config: Record<string, unknown>; want: unknown }> = {
    default: {
      reason: 'no node type decided: the default t3.medium node, half of it for the app',
      config: {},
      want: { requests: { cpu: '250m', memory: '1024Mi' }, limits: { memory: '2048Mi' } },
    },
    large: {
      reason: 'a t3.xlarge node (16 GiB): an 8 GiB limit, as the decider counted',
      config: { nodeInstanceType: 't3.xlarge' },
      want: { requests: { cpu: '250m', memory: '4096Mi' }, limits: { memory: '8192Mi' } },
    },
    gpu: {
      reason: 'a GPU node: the pod asks for the GPU too',
      config: { nodeInstanceType: 'g4dn.xlarge' },
      want: { requests: { cpu: '250m', memory: '4096Mi' }, limits: { memory: '8192Mi', 'nvidia.com/gpu': 1 } },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, c) => {
    expect({ reason: c.reason, resources: await containerResources(c.config) }).toEqual({ reason: c.reason, resources: c.want });
  });
});
