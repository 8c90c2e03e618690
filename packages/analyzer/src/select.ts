import type { Evidence } from '@scia/api';
import { ev, type Ctx } from './context.js';
import type { Detection, Detector, FrameworkRule } from './detectors/types.js';
import { matchesName } from './facts/services.js';

/** Found is one family's detection with the frameworks its rules matched, best first. */
export interface Found {
  detector: Detector;
  detection: Detection;
  matches: Match[];
}

/** Match is a framework rule that matched, with the evidence that made it match. */
export interface Match {
  rule: FrameworkRule;
  evidence: Evidence[];
}

/** detectAll runs every detector of the table over `ctx` and matches each family's framework rules. */
export async function detectAll(ctx: Ctx, detectors: readonly Detector[]): Promise<Found[]> {
  const out: Found[] = [];
  for (const detector of detectors) {
    const detection = await detector.detect(ctx);
    if (detection !== undefined) out.push({ detector, detection, matches: matchRules(ctx, detector.frameworks, detection) });
  }
  return out.sort((a, b) => score(b) - score(a));
}

/** score ranks families: one with a framework beats one without, then the framework's rank, then weight. */
function score(f: Found): number {
  const best = f.matches[0];
  return (best === undefined ? 0 : 100 + best.rule.rank) + f.detection.weight;
}

function matchRules(ctx: Ctx, rules: readonly FrameworkRule[], detection: Detection): Match[] {
  const out: Match[] = [];
  for (const rule of rules) {
    const evidence: Evidence[] = [];
    for (const dep of detection.dependencies) {
      if ((rule.deps ?? []).some((n) => matchesName(n, dep.name)) && evidence.length < 3) {
        evidence.push(ev(dep.manifest, dep.line, `dependency ${dep.name.replace(/^\w+:(?=[^/])/, '')}`));
      }
    }
    for (const re of rule.files ?? []) {
      const file = ctx.files.find((f) => re.test(f.path));
      if (file !== undefined && evidence.length < 3) evidence.push(ev(file.path));
    }
    if (evidence.length > 0) out.push({ rule, evidence });
  }
  return out.sort((a, b) => b.rule.rank - a.rule.rank);
}

/** fill replaces `{name}` placeholders from `vars`; undefined when one has no value (no guessed commands). */
export function fill(template: string | undefined, vars: Record<string, string> | undefined): string | undefined {
  if (template === undefined) return undefined;
  let missing = false;
  const out = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = vars?.[name];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}
