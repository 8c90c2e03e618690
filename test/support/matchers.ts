import { expect } from 'vitest';

// vitest's asymmetric matchers are typed `any`; these keep them `unknown` for the type-checked lint.

/** matching matches a string against `re`. */
export function matching(re: RegExp): unknown {
  return expect.stringMatching(re) as unknown;
}

/** anyOf matches any value made by `ctor` (String, Number, ...). */
export function anyOf(ctor: unknown): unknown {
  return expect.any(ctor) as unknown;
}
