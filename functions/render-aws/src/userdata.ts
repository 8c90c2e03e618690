import type { Plan } from './model.js';
import { runtimeFor } from './runtimes.js';
import { DOCKER_ENV_FILE, ENV_FILE } from './services-boot.js';

/** APP_LOG is the file the app's unit appends to; the CloudWatch agent ships it when monitoring is on. */
export const APP_LOG = '/var/log/scia-app.log';

/**
 * userData is the instances' boot script (plain text; the launch template
 * carries it base64-encoded). It runs the container image artifact with
 * Docker; or fetches the zip artifact from S3, or the exact commit from Git,
 * installs its dependencies, builds it with the detected build command and runs the detected start
 * command as a systemd service listening on the app's port. `services` are
 * the lines that write the app's service connections to ENV_FILE before it
 * starts (see servicesBoot); the app reads them from there. With monitoring
 * it installs the CloudWatch agent to ship the app's log to `logGroup`.
 */
export function userData(plan: Plan, logGroup: string | undefined, services: readonly string[] = []): string {
  const lines = ['#!/bin/bash', 'set -euo pipefail', `export PORT=${plan.port}`, ...services];
  const envFiles = services.length > 0;
  if (plan.artifact?.image !== undefined) lines.push(...fromImage(plan, plan.artifact.image, envFiles));
  else lines.push(...fromSource(plan, envFiles));
  if (logGroup !== undefined) lines.push(...cloudWatchAgent(logGroup));
  return `${lines.join('\n')}\n`;
}

function fromImage(plan: Plan, image: string, envFiles: boolean): string[] {
  const registry = image.split('/')[0] ?? '';
  const ecr = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/.test(registry);
  return [
    'dnf install -y docker',
    'systemctl enable --now docker',
    ...(ecr ? [`aws ecr get-login-password --region ${plan.region} | docker login --username AWS --password-stdin ${registry}`] : []),
    `docker run -d --name app --restart always -e PORT=${plan.port}${envFiles ? ` --env-file ${DOCKER_ENV_FILE}` : ''} -p ${plan.port}:${plan.port} ${quote(image)} >>${APP_LOG} 2>&1`,
  ];
}

function fromSource(plan: Plan, envFiles: boolean): string[] {
  const runtime = runtimeFor(plan.language);
  const lines = [`dnf install -y git unzip ${(runtime?.packages ?? []).join(' ')}`.trimEnd(), 'mkdir -p /opt/app'];
  const s3 = plan.artifact?.s3;
  if (s3 !== undefined) {
    lines.push(`aws s3 cp ${quote(`s3://${s3.bucket}/${s3.key}`)} /tmp/app.zip`, 'unzip -q /tmp/app.zip -d /opt/app/src');
  } else {
    const rev = plan.repository.commit ?? plan.repository.ref;
    lines.push(
      `git init -q /opt/app/src && cd /opt/app/src`,
      `git remote add origin ${quote(plan.repository.url)}`,
      `git fetch -q --depth 1 origin ${quote(rev)} && git checkout -q FETCH_HEAD`,
    );
  }
  const dir = plan.repository.path === undefined ? '/opt/app/src' : `/opt/app/src/${plan.repository.path}`;
  lines.push(`cd ${quote(dir)}`);
  if (plan.installCommand !== undefined) lines.push(plan.installCommand);
  if (plan.buildCommand !== undefined) lines.push(plan.buildCommand);
  if (plan.startCommand === undefined) {
    lines.push(`echo 'scia: no start command was detected; set one in the repository (Procfile, package.json start, ...)' >&2`, 'exit 1');
    return lines;
  }
  lines.push(...systemdUnit(dir, plan.startCommand, plan.port, envFiles));
  return lines;
}

function systemdUnit(dir: string, start: string, port: number, envFiles: boolean): string[] {
  return [
    "cat >/etc/systemd/system/scia-app.service <<'UNIT'",
    '[Unit]',
    'Description=SCIA application',
    'After=network-online.target',
    '[Service]',
    `WorkingDirectory=${dir}`,
    `Environment=PORT=${port}`,
    ...(envFiles ? [`EnvironmentFile=${ENV_FILE}`] : []),
    `ExecStart=/bin/sh -c ${quote(`exec ${start}`)}`,
    'Restart=always',
    `StandardOutput=append:${APP_LOG}`,
    `StandardError=append:${APP_LOG}`,
    '[Install]',
    'WantedBy=multi-user.target',
    'UNIT',
    'systemctl daemon-reload',
    'systemctl enable --now scia-app',
  ];
}

function cloudWatchAgent(logGroup: string): string[] {
  const config = {
    logs: { logs_collected: { files: { collect_list: [{ file_path: APP_LOG, log_group_name: logGroup, log_stream_name: '{instance_id}' }] } } },
  };
  return [
    'dnf install -y amazon-cloudwatch-agent',
    `cat >/opt/aws/amazon-cloudwatch-agent/etc/scia.json <<'JSON'`,
    JSON.stringify(config),
    'JSON',
    '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/scia.json',
  ];
}

/** quote single-quotes a value for the shell. */
export function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
