import type { CostItem, Policy, ServicePlan } from '@scia/api';
import { PRICING } from './pricing.js';
import { priceService } from './services-pricing.js';

/** SERVICE_ALARMS is how many alarms enable-monitoring adds per provisioned service (CPU, storage or memory, connections). */
export const SERVICE_ALARMS = 3;

/**
 * servicesItems itemizes the planned services for the cost breakdown: each
 * service's own items and, under enable-monitoring, its alarms. Items are
 * unrounded sums of rounded parts, as the compute items are rounded later.
 */
export function servicesItems(plans: readonly ServicePlan[], ctx: { region: string; policies: readonly Policy[] }): { items: CostItem[]; warnings: string[] } {
  const items: CostItem[] = [];
  const warnings: string[] = [];
  for (const plan of plans) {
    const cost = priceService(plan, ctx.region);
    items.push(...cost.items);
    warnings.push(...cost.warnings);
  }
  const provisioned = plans.filter((p) => p.offering !== 'external' && p.offering !== 'none').length;
  if (provisioned > 0 && ctx.policies.includes('enable-monitoring')) {
    const alarms = provisioned * SERVICE_ALARMS;
    items.push({ item: `cloudwatch alarms: data services ${alarms}`, monthly: alarms * PRICING.cloudWatch.alarmMonthly });
  }
  return { items, warnings };
}
