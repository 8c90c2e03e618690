import type { ServiceStatus } from '@scia/api';
import type { Composed, StatusContext } from './model.js';
import { connectionSecretName } from './services-db.js';
import { failure, composedReady } from './status.js';

/**
 * servicesStatus is `status.services`: each planned service with its phase
 * (Skipped, External, else Failed, Ready or Provisioning as its database or
 * replication group is observed), the endpoint's host name once observed,
 * and the name of the Secret holding its credentials. Never a credential.
 */
export function servicesStatus(ctx: StatusContext, desired: readonly Composed[]): ServiceStatus[] {
  return ctx.plan.services.map((plan) => {
    const base = { kind: plan.kind, offering: plan.offering };
    if (plan.offering === 'none') return { ...base, phase: 'Skipped', message: 'spec.services asks for none' };
    if (plan.offering === 'external') return { ...base, phase: 'External', message: 'the team\'s own endpoint' };
    const main = desired.find((r) => r.key === plan.kind);
    const failed = failure(plan.kind, ctx.observed.resources[plan.kind]?.conditions ?? []);
    const endpoint = ctx.observed.services?.byKind[plan.kind]?.address;
    const phase: ServiceStatus['phase'] = failed !== undefined ? 'Failed' : main !== undefined && composedReady(main, ctx.observed) ? 'Ready' : 'Provisioning';
    return {
      ...base,
      phase,
      ...(endpoint === undefined ? {} : { endpoint }),
      connectionSecret: connectionSecretName(ctx, plan.kind),
      ...(failed === undefined ? {} : { message: failed }),
    };
  });
}
