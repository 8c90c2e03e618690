import { describe, expect, it } from 'vitest';
import type { DeploymentSpecInput, ServicePlan, Strategy } from '@scia/api';
import { decide, decisionInputHash, needsOf, planServices, priceService, reprice, type ServiceNeed } from '../src/index.js';
import { analysis, input, spec } from './fixtures.js';

const postgres: ServiceNeed = { kind: 'postgresql', evidence: [{ file: 'requirements.txt', line: 3, note: 'dependency psycopg' }] };
const mysql: ServiceNeed = { kind: 'mysql', evidence: [{ file: 'package.json', note: 'dependency mysql2' }] };
const redis: ServiceNeed = { kind: 'redis', evidence: [{ file: 'package.json', note: 'dependency ioredis' }] };

interface PlanCase {
  reason: string;
  needs: ServiceNeed[];
  strategy: Strategy;
  spec: Partial<DeploymentSpecInput>;
  want: Partial<ServicePlan>[];
}

// Figures worked by hand from src/services-pricing.ts (us-east-1, 730 hours a month).
const plans: Record<string, PlanCase> = {
  standard: {
    reason: 'a plain prompt: db.t4g.small single-az, 20 GB, 7 days; 0.032 x 730 = 23.36 + 20 x 0.115 = 2.30',
    needs: [postgres],
    strategy: 'vm',
    spec: { prompt: 'Orders API for our mobile app' },
    want: [{ kind: 'postgresql', offering: 'rds-instance', engine: 'postgres', engineVersion: '16', instanceClass: 'db.t4g.small', storageGb: 20, multiAz: false, backupRetentionDays: 7, production: false, estimatedMonthlyCost: 25.66 }],
  },
  production: {
    reason: 'production: multi-az db.t4g.medium, 50 GB, 14 days, deletion protection; 2 x 0.065 x 730 = 94.90 + 2 x 50 x 0.115 = 11.50 + 12.5 GB x 0.095 = 1.19',
    needs: [postgres],
    strategy: 'kubernetes',
    spec: { prompt: 'The production orders API' },
    want: [{ offering: 'rds-instance', instanceClass: 'db.t4g.medium', storageGb: 50, multiAz: true, backupRetentionDays: 14, production: true, estimatedMonthlyCost: 107.59 }],
  },
  dev: {
    reason: 'a dev prompt: the smallest class, one day of backups',
    needs: [mysql, redis],
    strategy: 'vm',
    spec: { prompt: 'a dev environment for the shop' },
    want: [
      { kind: 'mysql', engine: 'mysql', engineVersion: '8.0', instanceClass: 'db.t4g.micro', backupRetentionDays: 1 },
      { kind: 'redis', offering: 'elasticache', engine: 'redis', engineVersion: '7.1', instanceClass: 'cache.t4g.micro', nodes: 1, multiAz: false },
    ],
  },
  haRedis: {
    reason: 'high availability: two cache nodes across zones',
    needs: [redis],
    strategy: 'kubernetes',
    spec: { prompt: 'catalogue API, high availability' },
    want: [{ kind: 'redis', instanceClass: 'cache.t4g.small', nodes: 2, multiAz: true, production: false, estimatedMonthlyCost: 46.72 }],
  },
  serverlessAurora: {
    reason: 'serverless, dev: Aurora Serverless v2 pausing when idle (0.5 x 730 x 0.25 x 0.12 = 10.95 + 2.00 + 0.40) beats db.t4g.micro (11.68 + 2.30)',
    needs: [postgres],
    strategy: 'serverless',
    spec: { prompt: 'thumbnail service prototype' },
    want: [{ offering: 'aurora-serverless-v2', engine: 'aurora-postgresql', engineVersion: '16.6', instanceClass: 'db.serverless', nodes: 1, capacity: { min: 0, max: 4 }, estimatedMonthlyCost: 13.35 }],
  },
  serverlessHa: {
    reason: 'serverless, high availability: two always-on Aurora instances (2 x 0.5 x 730 x 0.12 = 87.60) cost more than a multi-az db.t4g.small (46.72 + 4.60)',
    needs: [postgres],
    strategy: 'serverless',
    spec: { prompt: 'thumbnails with high availability' },
    want: [{ offering: 'rds-instance', engine: 'postgres', multiAz: true, estimatedMonthlyCost: 51.32 }],
  },
  serverlessProduction: {
    reason: 'serverless, production: two always-on Aurora instances (90.00) cost less than a multi-az db.t4g.medium (107.59)',
    needs: [postgres],
    strategy: 'serverless',
    spec: { prompt: 'production thumbnails' },
    want: [{ offering: 'aurora-serverless-v2', nodes: 2, multiAz: true, production: true, capacity: { min: 0.5, max: 8 }, estimatedMonthlyCost: 90 }],
  },
  none: {
    reason: 'spec.services.redis.none: nothing is provisioned',
    needs: [postgres, redis],
    strategy: 'vm',
    spec: { services: { redis: { none: true } } },
    want: [{ kind: 'postgresql', offering: 'rds-instance' }, { kind: 'redis', offering: 'none', estimatedMonthlyCost: 0 }],
  },
  external: {
    reason: 'bring your own: the team\'s endpoint, at no cost',
    needs: [postgres],
    strategy: 'kubernetes',
    spec: { services: { postgresql: { managed: false, secretRef: { name: 'orders-db' } } } },
    want: [{ offering: 'external', external: { secretRef: { name: 'orders-db', key: 'url' } }, estimatedMonthlyCost: 0 }],
  },
  pinned: {
    reason: 'spec.services pins class and storage; serverless keeps the RDS instance then',
    needs: [postgres],
    strategy: 'serverless',
    spec: { services: { postgresql: { instanceClass: 'db.m6g.large', storageGb: 100 } } },
    want: [{ offering: 'rds-instance', instanceClass: 'db.m6g.large', storageGb: 100 }],
  },
};

describe('planServices', () => {
  it.each(Object.entries(plans))('%s', (_, c) => {
    const got = planServices(c.needs, { strategy: c.strategy, spec: spec(c.spec) });
    expect(got.length, c.reason).toBe(c.want.length);
    c.want.forEach((w, i) => expect(got[i], c.reason).toMatchObject(w));
    for (const p of got) expect(p.reason, c.reason).not.toBe('');
  });

  it('prices an unknown class as the default, with a warning', () => {
    const cost = priceService({ kind: 'postgresql', offering: 'rds-instance', engine: 'postgres', instanceClass: 'db.x9.huge', storageGb: 20, multiAz: false, production: false, evidence: [], reason: 'r' }, 'us-east-1');
    expect(cost).toEqual({
      total: 25.66,
      items: [
        { item: 'postgresql rds: db.x9.huge', monthly: 23.36 },
        { item: 'postgresql rds gp3 storage: 20 GB', monthly: 2.3 },
      ],
      warnings: ['no price data for class db.x9.huge: priced as db.t4g.small'],
    });
  });
});

describe('needsOf', () => {
  it('reads the provisioned kinds and a compose image\'s version', () => {
    const a = analysis({
      services: [{ kind: 'postgresql' }, { kind: 's3' }, { kind: 'redis' }],
      compose: [{ name: 'db', image: 'postgres:15.4-alpine' }, { name: 'cache', image: 'docker.io/library/redis:6' }],
    });
    expect(needsOf(a)).toEqual([
      { kind: 'postgresql', version: '15.4', evidence: [] },
      { kind: 'redis', version: '6', evidence: [] },
    ]);
    expect(planServices(needsOf(a), { strategy: 'vm', spec: spec() }).map((p) => p.engineVersion)).toEqual(['15', '6.2']);
  });
});

describe('decide with services', () => {
  const flask = analysis({ services: [{ kind: 'postgresql', evidence: [{ file: 'requirements.txt', line: 3 }] }] });

  it('pins the plan and prices it with the app', async () => {
    const got = await decide(input({ spec: spec({ strategy: 'vm', prompt: 'orders API' }), analysis: flask }));
    if (!got.ok) throw new Error(got.error);
    expect(got.decision.services?.map((s) => s.offering)).toEqual(['rds-instance']);
    expect(got.decision.costBreakdown.map((c) => c.item)).toContain('postgresql rds: db.t4g.small');
    const parts = got.decision.costBreakdown.reduce((s, c) => s + c.monthly, 0);
    expect(got.decision.estimatedMonthlyCost).toBeCloseTo(parts, 2);
    expect(reprice(got.decision, spec({ strategy: 'vm', prompt: 'orders API' }))).toEqual(got.decision);
  });

  it('applies spec.services to a pinned decision, and re-decides when they change', async () => {
    const claim = spec({ strategy: 'vm', prompt: 'orders API' });
    const got = await decide(input({ spec: claim, analysis: flask }));
    if (!got.ok) throw new Error(got.error);
    const skipping = spec({ strategy: 'vm', prompt: 'orders API', services: { postgresql: { none: true } } });
    const skipped = reprice(got.decision, skipping);
    expect(skipped.services?.[0]?.offering).toBe('none');
    expect(skipped.estimatedMonthlyCost).toBeLessThan(got.decision.estimatedMonthlyCost);
    const bigger = reprice(got.decision, spec({ strategy: 'vm', prompt: 'orders API', services: { postgresql: { instanceClass: 'db.m6g.large', storageGb: 100 } } }));
    expect(bigger.services?.[0]).toMatchObject({ offering: 'rds-instance', instanceClass: 'db.m6g.large', storageGb: 100, multiAz: false });
    expect(decisionInputHash(skipping, 'c', 'none')).not.toBe(decisionInputHash(claim, 'c', 'none'));
    expect(decisionInputHash(spec({ strategy: 'vm', prompt: 'orders API', services: {} }), 'c', 'none')).not.toBe(decisionInputHash(claim, 'c', 'none'));
  });

  it('refuses a hard budget the app and its database cannot fit, naming the service', async () => {
    const claim = spec({ strategy: 'vm', prompt: 'production orders API', budget: { maxMonthlyCost: 60, enforcementMode: 'hard' } });
    const got = await decide(input({ spec: claim, analysis: flask }));
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect(got.error).toMatch(/^cannot fit the hard budget of \$60\/month; .* with the services the app needs: postgresql \(rds-instance db\.t4g\.medium multi-az, \$107\.59\/month\)$/);
    const alone = await decide(input({ spec: claim, analysis: analysis() }));
    expect(alone.ok).toBe(true);
  });
});
