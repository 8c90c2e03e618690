import type { RenderContext } from './model.js';
import { replicationGroupId } from './services-cache.js';
import { DB_NAME, DB_USER, dbIdentifier } from './services-db.js';
import { envPrefix, urlScheme, wired } from './services-env.js';
import { SERVICE_PORTS } from './services-network.js';

/** ENV_FILE (systemd's quoting) and DOCKER_ENV_FILE (docker's, values as they are) hold the services' variables, mode 0600. */
export const ENV_FILE = '/etc/scia-app.env';
export const DOCKER_ENV_FILE = '/etc/scia-app.docker.env';

/**
 * CONNECT_PROGRAM is the boot-time program that reads each service's
 * connection with the instance's role (the launch template carries no
 * credential): it waits until the RDS instance, Aurora cluster or replication
 * group is available, reads its address and the secret RDS manages the
 * password in (or the team's own secret), and writes the variables to
 * ENV_FILE and DOCKER_ENV_FILE. It prints nothing it reads. The
 * configuration's `aws` names the AWS CLI to run (`aws` on PATH by default).
 */
const CONNECT_PROGRAM = String.raw`import json, os, subprocess, sys, time, urllib.parse
cfg = json.load(open(sys.argv[1]))
def aws(*args):
    return json.loads(subprocess.run([cfg.get('aws', 'aws'), '--region', cfg['region'], '--output', 'json', *args], check=True, capture_output=True, text=True).stdout)
def until(read):
    while True:
        try:
            found = read()
            if found:
                return found
        except subprocess.CalledProcessError:
            pass
        time.sleep(30)
def available(items, status):
    return next((i for i in items if i.get(status) == 'available'), None)
def secret(arn):
    return aws('secretsmanager', 'get-secret-value', '--secret-id', arn)['SecretString']
env = {}
for s in cfg['services']:
    p, port = s['prefix'], str(s['port'])
    if s['source'] == 'external':
        text = until(lambda: secret(s['secretArn']))
        try:
            text = json.loads(text)[s['key']]
        except (ValueError, KeyError, TypeError):
            pass
        env[p + '_URL'] = text
        continue
    if s['source'] == 'elasticache':
        g = until(lambda: available(aws('elasticache', 'describe-replication-groups', '--replication-group-id', s['id'])['ReplicationGroups'], 'Status'))
        host = g['NodeGroups'][0]['PrimaryEndpoint']['Address']
        env.update({p + '_HOST': host, p + '_PORT': port, p + '_URL': 'rediss://%s:%s/0' % (host, port)})
        continue
    if s['source'] == 'aurora-serverless-v2':
        db = until(lambda: available(aws('rds', 'describe-db-clusters', '--db-cluster-identifier', s['id'])['DBClusters'], 'Status'))
        host = db['Endpoint']
    else:
        db = until(lambda: available(aws('rds', 'describe-db-instances', '--db-instance-identifier', s['id'])['DBInstances'], 'DBInstanceStatus'))
        host = db['Endpoint']['Address']
    password = json.loads(secret(db['MasterUserSecret']['SecretArn']))['password']
    env.update({p + '_HOST': host, p + '_PORT': port, p + '_NAME': s['database'], p + '_USER': s['user'], p + '_PASSWORD': password})
    env[p + '_URL'] = '%s://%s:%s@%s:%s/%s' % (s['scheme'], s['user'], urllib.parse.quote(password, safe=''), host, port, s['database'])
def write(path, line):
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as f:
        f.write(''.join(line(k, v) for k, v in sorted(env.items())))
write(cfg['envFile'], lambda k, v: '%s="%s"\n' % (k, v.replace('\\', '\\\\').replace('"', '\\"')))
write(cfg['dockerEnvFile'], lambda k, v: '%s=%s\n' % (k, v))
`;

/**
 * servicesBoot is the user data that gives a vm app its services'
 * connections before it starts (empty when it has none): the connect program
 * and its configuration (identifiers, ports, user and database names; no
 * credential), and the command that runs it.
 */
export function servicesBoot(ctx: RenderContext): string[] {
  const plans = wired(ctx.plan.services);
  if (plans.length === 0) return [];
  const services = plans.map((plan) => {
    const prefix = envPrefix(plan, plans);
    if (plan.offering === 'external') return { prefix, port: SERVICE_PORTS[plan.kind], source: 'external', secretArn: plan.external?.awsSecretArn ?? '', key: plan.external?.secretRef?.key ?? 'url' };
    const id = plan.offering === 'elasticache' ? replicationGroupId(ctx) : dbIdentifier(ctx, plan.kind);
    return { prefix, port: SERVICE_PORTS[plan.kind], source: plan.offering, id, scheme: urlScheme(plan), user: DB_USER, database: DB_NAME };
  });
  const config = { region: ctx.plan.region, envFile: ENV_FILE, dockerEnvFile: DOCKER_ENV_FILE, services };
  return [
    'mkdir -p /opt/scia',
    "cat >/opt/scia/connect.py <<'PY'",
    CONNECT_PROGRAM.trimEnd(),
    'PY',
    "cat >/opt/scia/services.json <<'JSON'",
    JSON.stringify(config),
    'JSON',
    'python3 /opt/scia/connect.py /opt/scia/services.json',
  ];
}
