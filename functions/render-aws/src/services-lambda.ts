import type { JsonObject } from '@scia/runtime';
import { select } from './builder.js';
import type { RenderContext } from './model.js';
import { DB_NAME, DB_USER } from './services-db.js';
import { envPrefix, provisioned, wired } from './services-env.js';
import { privateSubnets, SERVICE_PORTS } from './services-network.js';

/** LambdaServices is what a function needs for its services: environment, VPC placement, and what it still waits for. */
export interface LambdaServices {
  env: Record<string, string>;
  vpcConfig?: JsonObject;
  waiting: string[];
}

/**
 * lambdaServices gives a function its services' connections: it runs in the
 * private subnets behind `sg-app` when SCIA composes a database or cache, and
 * its environment carries each address once observed, the port, database
 * and user names, and `<prefix>_SECRET_ARN`: the secret RDS manages the
 * password in (or the team's own secret), which the function's role may
 * read. No password is written to the function's configuration, so a
 * database's `<prefix>_URL` is for the app to assemble; Redis, which needs
 * none here, gets its `REDIS_URL`.
 */
export function lambdaServices(ctx: RenderContext): LambdaServices {
  const plans = wired(ctx.plan.services);
  const env: Record<string, string> = {};
  const waiting: string[] = [];
  for (const plan of plans) {
    const p = envPrefix(plan, plans);
    if (plan.offering === 'external') {
      if (plan.external?.awsSecretArn !== undefined) env[`${p}_SECRET_ARN`] = plan.external.awsSecretArn;
      continue;
    }
    const seen = ctx.observed.services?.byKind[plan.kind];
    const port = String(SERVICE_PORTS[plan.kind]);
    if (seen?.address === undefined) waiting.push(`function environment (needs the ${plan.kind} address)`);
    else env[`${p}_HOST`] = seen.address;
    env[`${p}_PORT`] = port;
    if (plan.kind === 'redis') {
      if (seen?.address !== undefined) env[`${p}_URL`] = `rediss://${seen.address}:${port}/0`;
      continue;
    }
    Object.assign(env, { [`${p}_NAME`]: DB_NAME, [`${p}_USER`]: DB_USER });
    if (seen?.secretArn === undefined) waiting.push(`function environment (needs the ${plan.kind} password's secret)`);
    else env[`${p}_SECRET_ARN`] = seen.secretArn;
  }
  if (provisioned(plans).length === 0) return { env, waiting };
  return { env, vpcConfig: { subnetIdSelector: privateSubnets(), securityGroupIdSelector: select('sg-app') }, waiting };
}
