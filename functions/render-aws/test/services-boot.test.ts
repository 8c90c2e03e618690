import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServicePlan } from '@scia/api';
import { runFunction } from '@scia/function-render-aws';
import { at, desiredResources } from './fixtures/check.js';
import { analysis, decision, request, spec, xr } from './fixtures/requests.js';

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.warn('skipping the vm boot program test: no python3 on PATH (apt-get install python3)');
const withPython = python ? it : it.skip;

const PASSWORD = 'p@ss:w/rd#"$\\x';
const plan = (over: Partial<ServicePlan>): ServicePlan => ({ kind: 'postgresql', offering: 'rds-instance', multiAz: false, production: false, evidence: [], reason: 'r', ...over });

/**
 * FAKE_AWS stands in for the AWS CLI on the instance: it answers the calls
 * the boot program makes from a table keyed by the call's words, and logs
 * each call. The first describe answers a database still being created, so
 * the program's wait is exercised too.
 */
const FAKE_AWS = String.raw`#!/usr/bin/env node
const fs = require('node:fs');
const dir = __dirname;
const args = process.argv.slice(2).filter((a, i, all) => !['--region', '--output'].includes(a) && !['--region', '--output'].includes(all[i - 1]));
fs.appendFileSync(dir + '/calls.log', args.join(' ') + '\n');
const table = JSON.parse(fs.readFileSync(dir + '/answers.json', 'utf8'));
const key = args.join(' ');
const seen = (fs.existsSync(dir + '/seen') ? fs.readFileSync(dir + '/seen', 'utf8') : '').split('\n');
fs.appendFileSync(dir + '/seen', key + '\n');
const answers = table[key];
if (answers === undefined) { process.stderr.write('unknown call ' + key); process.exit(255); }
process.stdout.write(JSON.stringify(answers[Math.min(seen.filter((s) => s === key).length, answers.length - 1)]));
`;

async function bootOf(services: ServicePlan[]): Promise<{ program: string; config: Record<string, unknown> }> {
  const rsp = await runFunction(request({ xr: xr('cluster', spec()), context: { 'scia.io/decision': decision({ strategy: 'vm', services }), 'scia.io/analysis': analysis() } }), { clock: { now: () => new Date(0) } });
  return parse(rsp);
}

function parse(rsp: Awaited<ReturnType<typeof runFunction>>): { program: string; config: Record<string, unknown> } {
  const userData = Buffer.from(String(at(desiredResources(rsp)['launch-template'], 'spec', 'forProvider', 'userData')), 'base64').toString();
  const between = (start: string, end: string): string => userData.slice(userData.indexOf(start) + start.length, userData.indexOf(end, userData.indexOf(start)));
  return { program: between("connect.py <<'PY'\n", '\nPY\n'), config: JSON.parse(between("services.json <<'JSON'\n", '\nJSON\n')) as Record<string, unknown> };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the vm boot program', () => {
  withPython('waits for the database and cache, reads the managed secret and writes the app\'s variables, mode 0600, printing nothing', async () => {
    const services = [plan({}), plan({ kind: 'redis', offering: 'elasticache' }), plan({ kind: 'mysql', offering: 'external', external: { awsSecretArn: 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:shop', secretRef: { name: 'x', key: 'url' } } })];
    const { program, config } = await bootOf(services);
    const dir = mkdtempSync(join(tmpdir(), 'scia-boot-'));
    dirs.push(dir);
    const arn = 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds!db-1-AbCd';
    writeFileSync(join(dir, 'answers.json'), JSON.stringify({
      'rds describe-db-instances --db-instance-identifier flask-api-x7k2p-postgresql': [
        { DBInstances: [{ DBInstanceStatus: 'creating' }] },
        { DBInstances: [{ DBInstanceStatus: 'available', Endpoint: { Address: 'db.example.internal' }, MasterUserSecret: { SecretArn: arn } }] },
      ],
      [`secretsmanager get-secret-value --secret-id ${arn}`]: [{ SecretString: JSON.stringify({ username: 'app', password: PASSWORD }) }],
      'elasticache describe-replication-groups --replication-group-id flask-api-x7k2p-redis': [
        { ReplicationGroups: [{ Status: 'available', NodeGroups: [{ PrimaryEndpoint: { Address: 'cache.example.internal' } }] }] },
      ],
      'secretsmanager get-secret-value --secret-id arn:aws:secretsmanager:eu-west-3:123456789012:secret:shop': [{ SecretString: JSON.stringify({ url: 'mysql://u:p@shop.example:3306/shop' }) }],
    }));
    writeFileSync(join(dir, 'aws'), FAKE_AWS);
    chmodSync(join(dir, 'aws'), 0o755);
    // The program sleeps 30 s between polls; the test makes that instant.
    writeFileSync(join(dir, 'connect.py'), program.replace('time.sleep(30)', 'time.sleep(0)'));
    // The fake CLI by its path: a real one on PATH would try to reach AWS.
    writeFileSync(join(dir, 'services.json'), JSON.stringify({ ...config, aws: join(dir, 'aws'), envFile: join(dir, 'app.env'), dockerEnvFile: join(dir, 'docker.env') }));
    const out = execFileSync('python3', [join(dir, 'connect.py'), join(dir, 'services.json')], { env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8', timeout: 20_000 });
    expect(out).toBe('');
    const encoded = encodeURIComponent(PASSWORD);
    expect(readFileSync(join(dir, 'docker.env'), 'utf8').split('\n')).toEqual([
      `DATABASE_HOST=db.example.internal`,
      `DATABASE_NAME=app`,
      `DATABASE_PASSWORD=${PASSWORD}`,
      `DATABASE_PORT=5432`,
      `DATABASE_URL=postgresql://app:${encoded}@db.example.internal:5432/app`,
      `DATABASE_USER=app`,
      'MYSQL_URL=mysql://u:p@shop.example:3306/shop',
      'REDIS_HOST=cache.example.internal',
      'REDIS_PORT=6379',
      'REDIS_URL=rediss://cache.example.internal:6379/0',
      '',
    ]);
    expect(readFileSync(join(dir, 'app.env'), 'utf8')).toContain(`DATABASE_PASSWORD="p@ss:w/rd#\\"$\\\\x"\n`);
    expect(statSync(join(dir, 'app.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'calls.log'), 'utf8').split('\n').filter((l) => l.startsWith('rds '))).toHaveLength(2);
  });

  it('configures the program with identifiers and names only', async () => {
    const { config } = await bootOf([plan({})]);
    expect(config).toEqual({
      region: 'eu-west-3',
      envFile: '/etc/scia-app.env',
      dockerEnvFile: '/etc/scia-app.docker.env',
      services: [{ prefix: 'DATABASE', port: 5432, source: 'rds-instance', id: 'flask-api-x7k2p-postgresql', scheme: 'postgresql', user: 'app', database: 'app' }],
    });
  });
});
