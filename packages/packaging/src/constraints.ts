/**
 * Version constraints as Crossplane's package linter parses them (Masterminds
 * semver's NewConstraint): alternatives joined by `||`, each a comma-separated
 * list of `<op><version>` (ops `=`, `!=`, `>`, `<`, `>=`, `=>`, `<=`, `=<`,
 * `~`, `~>`, `^`; versions `v1`, `1.2`, `v1.2.3-rc.1+b`, with `x` or `*`
 * wildcards), or `A - B` ranges. A space is not an "and": `>=1 <2` is refused.
 */
const VERSION = String.raw`v?[0-9xX*]+(?:\.[0-9xX*]+)?(?:\.[0-9xX*]+)?(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;
const OPS = String.raw`(!=|>=|=>|<=|=<|~>|[=><~^]|)`;
const ONE = new RegExp(String.raw`^\s*${OPS}\s*(${VERSION})\s*$`);
const RANGE = new RegExp(String.raw`^\s*(${VERSION})\s+-\s+(${VERSION})\s*$`);

/** Constraint is one parsed `<op><version>`. */
export interface Constraint {
  op: string;
  version: string;
}

/** parseConstraints parses a constraint string into its alternatives, or says why it cannot. */
export function parseConstraints(text: string): { ok: true; value: Constraint[][] } | { ok: false; error: string } {
  const alternatives: Constraint[][] = [];
  for (const alt of text.split('||')) {
    const group: Constraint[] = [];
    for (const part of alt.split(',')) {
      const range = RANGE.exec(part);
      if (range !== null) {
        group.push({ op: '>=', version: range[1] ?? '' }, { op: '<=', version: range[2] ?? '' });
        continue;
      }
      const m = ONE.exec(part);
      if (m === null) return { ok: false, error: `cannot parse version constraint ${JSON.stringify(part.trim())} in ${JSON.stringify(text)}` };
      group.push({ op: m[1] ?? '', version: m[2] ?? '' });
    }
    alternatives.push(group);
  }
  return { ok: true, value: alternatives };
}

/** UPPER_BOUNDING_OPS are the ops that cap a range from above (an exact, tilde or caret version included). */
const UPPER_BOUNDING_OPS = new Set(['', '=', '<', '<=', '=<', '~', '~>', '^']);

/** isBounded tells whether every alternative of `text` has an upper bound, so a new major cannot be picked up unseen. */
export function isBounded(text: string): boolean {
  const parsed = parseConstraints(text);
  return parsed.ok && parsed.value.every((group) => group.some((c) => UPPER_BOUNDING_OPS.has(c.op) && !/[xX*]/.test(c.version)));
}

/** satisfies tells whether a release `version` (vX.Y.Z) meets `text`; wildcards and pre-releases count as zero. */
export function satisfies(version: string, text: string): boolean {
  const parsed = parseConstraints(text);
  if (!parsed.ok) return false;
  const v = numbers(version);
  return parsed.value.some((group) =>
    group.every((c) => {
      const cmp = compare(v, numbers(c.version));
      switch (c.op) {
        case '>':
          return cmp > 0;
        case '>=':
        case '=>':
          return cmp >= 0;
        case '<':
          return cmp < 0;
        case '<=':
        case '=<':
          return cmp <= 0;
        case '!=':
          return cmp !== 0;
        case '^': {
          const base = numbers(c.version);
          return cmp >= 0 && v[0] === base[0];
        }
        case '~':
        case '~>': {
          const base = numbers(c.version);
          return cmp >= 0 && v[0] === base[0] && v[1] === base[1];
        }
        default:
          return cmp === 0;
      }
    }),
  );
}

function numbers(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split(/[-+]/)[0]?.split('.').map((n) => Number(n) || 0) ?? [];
  return [major, minor, patch];
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
