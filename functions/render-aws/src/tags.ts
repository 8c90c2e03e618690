import type { Target } from './model.js';
import { fit } from './naming.js';

/** COMPONENT_LABEL names a composed resource's role; selectors match on it. */
export const COMPONENT_LABEL = 'scia.io/component';

/** tagsFor are the AWS tags on everything SCIA creates. */
export function tagsFor(target: Target): Record<string, string> {
  return {
    'managed-by': 'scia',
    'scia.io/deployment': target.deployment,
    'scia.io/namespace': target.namespace,
  };
}

/** asgTags are tagsFor as an auto scaling group's `tag` list, propagated to its instances. */
export function asgTags(target: Target): Array<{ key: string; value: string; propagateAtLaunch: boolean }> {
  return Object.entries(tagsFor(target)).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
}

/** labelsFor are the Kubernetes labels on every composed resource. */
export function labelsFor(target: Target, key: string): Record<string, string> {
  return {
    [COMPONENT_LABEL]: key,
    // A claim's name may be longer than a label value may be.
    'scia.io/deployment': fit(target.deployment, 63),
  };
}
