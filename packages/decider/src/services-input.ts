import type { ServicePlan, Strategy } from '@scia/api';
import type { CostContext } from './cost.js';
import type { DecideInput } from './facts.js';
import { needsOf, servicesOf } from './services.js';

const plans = new WeakMap<DecideInput, (strategy: Strategy) => readonly ServicePlan[]>();

/** servicesOfInput plans a decision input's services per strategy (see servicesOf), once per input. */
export function servicesOfInput(input: DecideInput): (strategy: Strategy) => readonly ServicePlan[] {
  let of = plans.get(input);
  if (of === undefined) {
    of = servicesOf(needsOf(input.analysis), input.spec);
    plans.set(input, of);
  }
  return of;
}

/** costContext is how a decision input is priced: its region, policies and planned services. */
export function costContext(input: DecideInput): CostContext {
  return { region: input.spec.region, policies: input.spec.policies, services: servicesOfInput(input) };
}
