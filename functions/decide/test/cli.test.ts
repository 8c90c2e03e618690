import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decision } from '@scia/api';
import { reply, startOllamaServer, type OllamaServer } from '../../../test/support/ollama-server.js';
import { runScia, type SciaRun } from '../../../test/support/scia-cli.js';



let dataDir: string;
let ollama: OllamaServer;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'scia-cli-decide-'));
  ollama = await startOllamaServer({
    chat: () => reply.json({ strategy: 'vm', reason: 'Steady API.', confidence: 0.6, config: { instanceType: 't3.medium' }, alternativeStrategies: [], citedCases: [] }),
  });
});
afterAll(async () => {
  await ollama.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function scia(args: string[], env: Record<string, string> = {}): Promise<SciaRun> {
  return runScia(['decide', ...args], { SCIA_DATA_DIR: dataDir, ...env });
}

// Each run opens the embedded store (PGlite) for the retrieve step: seconds, not milliseconds.
describe('scia decide', { timeout: 120_000 }, () => {
  it('prints only the Decision on stdout with --json, decided by the rules without a model', async () => {
    const out = await scia(['--repo', 'examples/apps/fastapi-app', '--prompt', 'cheapest, spiky traffic', '--image', 'repo/app:1', '--json']);
    const decision = Decision.parse(JSON.parse(out.stdout));
    expect({ code: out.code, strategy: decision.strategy, decidedBy: decision.decidedBy, config: decision.config })
      .toEqual({ code: 0, strategy: 'serverless', decidedBy: 'rules', config: { memoryMb: 512, timeoutSeconds: 30, port: 8000 } });
  });

  it('shows the services plan with its reasons and costs, in JSON and for a reader', async () => {
    const args = ['--repo', 'examples/apps/shop-api', '--prompt', 'shop API in production', '--strategy', 'kubernetes', '--region', 'eu-west-1'];
    const json = await scia([...args, '--json']);
    const decision = Decision.parse(JSON.parse(json.stdout));
    expect(decision.services?.map((s) => ({ kind: s.kind, offering: s.offering, instanceClass: s.instanceClass, multiAz: s.multiAz, production: s.production, cost: s.estimatedMonthlyCost })))
      .toEqual([
        { kind: 'redis', offering: 'elasticache', instanceClass: 'cache.t4g.small', multiAz: true, production: true, cost: 52.07 },
        { kind: 'postgresql', offering: 'rds-instance', instanceClass: 'db.t4g.medium', multiAz: true, production: true, cost: 119.92 },
      ]);
    expect(decision.costBreakdown.map((c) => c.item)).toContain('postgresql rds: db.t4g.medium multi-az');
    const text = await scia(args);
    expect(text.stdout.split('\n').filter((l) => l.startsWith('service '))).toEqual([
      'service      redis: elasticache redis 7.1 cache.t4g.small multi-az ($52.07/month): package.json (dependency ioredis) needs redis; a production prompt: multi-az nodes, 14 days of backups, deletion protection and a final snapshot',
      'service      postgresql: rds-instance postgres 16 db.t4g.medium multi-az ($119.92/month): package.json (dependency pg) needs postgresql; a production prompt: multi-az instance, 14 days of backups, deletion protection and a final snapshot',
    ]);
  });

  it('asks the model at OLLAMA_HOST once, then reuses the decision kept by hash', async () => {
    const args = ['--repo', 'examples/apps/flask-api', '--prompt', 'internal tool', '--region', 'eu-west-1', '--json'];
    const first = await scia(args, { OLLAMA_HOST: ollama.url });
    const second = await scia(args, { OLLAMA_HOST: ollama.url });
    const decision = Decision.parse(JSON.parse(first.stdout));
    expect({ codes: [first.code, second.code], same: first.stdout === second.stdout, calls: ollama.chatCalls.length, decidedBy: decision.decidedBy, type: decision.config.instanceType })
      .toEqual({ codes: [0, 0], same: true, calls: 1, decidedBy: 'llm', type: 't3.medium' });
  });

  it('reads a Deployment claim and lets flags override it', async () => {
    const claim = join(dataDir, 'claim.yaml');
    await writeFile(claim, [
      'apiVersion: scia.io/v1alpha1',
      'kind: Deployment',
      'metadata: { name: orders, namespace: team-a }',
      'spec:',
      '  repository: { url: ./examples/apps/express-api }',
      '  prompt: internal orders API',
      '  region: eu-west-3',
      '  strategy: kubernetes',
      '  policies: [enable-monitoring]',
      '',
    ].join('\n'));
    const out = await scia([claim, '--strategy', 'vm', '--json']);
    const decision = Decision.parse(JSON.parse(out.stdout));
    expect({ code: out.code, strategy: decision.strategy, decidedBy: decision.decidedBy, monitoring: decision.costBreakdown.some((c) => c.item.startsWith('cloudwatch alarms')) })
      .toEqual({ code: 0, strategy: 'vm', decidedBy: 'user', monitoring: true });
  });

  const failures: Record<string, { reason: string; args: string[]; code: number; stderr: string }> = {
    'unknown policy': {
      reason: 'an unknown policy is refused, named',
      args: ['--repo', 'examples/apps/flask-api', '--policy', 'require-https', '--policy', 'encrypt-all'],
      code: 2,
      stderr: 'scia decide: --policy[1]: unknown policy "encrypt-all" (known: require-https, enable-monitoring, private-data)\n',
    },
    'no repository': {
      reason: 'a claim or --repo is needed',
      args: ['--prompt', 'x'],
      code: 2,
      stderr: 'scia decide: expected CLAIM.yaml or --repo\n',
    },
  };
  it.each(Object.entries(failures))('refuses: %s', async (_, c) => {
    const out = await scia(c.args);
    expect({ code: out.code, stdout: out.stdout, stderr: out.stderr.split('Usage:')[0] }, c.reason).toEqual({ code: c.code, stdout: '', stderr: c.stderr });
  });

  it('exits 1 with the reason when a hard budget cannot be met', async () => {
    const out = await scia(['--repo', 'examples/apps/flask-api', '--strategy', 'kubernetes', '--budget', '40', '--enforcement', 'hard']);
    expect({ code: out.code, stdout: out.stdout, last: out.stderr.trim().split('\n').at(-1) }).toEqual({
      code: 1,
      stdout: '',
      last: 'scia decide: error: cannot decide: spec.budget: cannot fit the hard budget of $40/month; the cheapest configuration considered (kubernetes: 1 x t3.small node) costs $144.64/month with the services the app needs: postgresql (rds-instance db.t4g.small, $25.66/month)',
    });
  });
});
