/** Keyword is one intent a team's prompt can express. */
export type Keyword = 'high-availability' | 'cheapest' | 'spiky' | 'steady-high-traffic' | 'low-latency' | 'gpu' | 'ml' | 'batch';

/** KEYWORDS maps each prompt keyword to the phrases that signal it (matched case-insensitively). */
export const KEYWORDS: Readonly<Record<Keyword, readonly RegExp[]>> = {
  'high-availability': [/\bhigh[- ]availability\b/, /\bhighly available\b/, /\bfault[- ]tolerant\b/, /\b(no|zero) downtime\b/, /\bredundan/, /\bmulti[- ]az\b/, /\bha\b/],
  cheapest: [/\bcheap/, /\blow[- ]cost\b/, /\bminimi[sz]e cost/, /\bbudget[- ]friendly\b/, /\bas little as possible\b/, /\bfrugal\b/],
  spiky: [/\bspiky\b/, /\bbursty\b/, /\bsporadic\b/, /\bintermittent\b/, /\bevent[- ]driven\b/, /\boccasional\b/, /\bscale to zero\b/, /\blow traffic\b/],
  'steady-high-traffic': [/\bhigh traffic\b/, /\bmillions of (users|requests)\b/, /\bheavy load\b/, /\bmicroservices?\b/, /\bautoscal/],
  'low-latency': [/\blow[- ]latency\b/, /\bno cold starts?\b/, /\breal[- ]time\b/],
  gpu: [/\bgpus?\b/, /\bcuda\b/],
  ml: [/\binference\b/, /\bmachine learning\b/, /\bml models?\b/, /\bllm\b/],
  batch: [/\bbatch\b/, /\blong[- ]running\b/, /\bcron\b/, /\bbackground jobs?\b/],
};

/** keywordsOf reads the keywords of a prompt. */
export function keywordsOf(prompt: string): Set<Keyword> {
  const text = prompt.toLowerCase();
  const out = new Set<Keyword>();
  for (const [k, patterns] of Object.entries(KEYWORDS) as [Keyword, readonly RegExp[]][]) {
    if (patterns.some((p) => p.test(text))) out.add(k);
  }
  return out;
}

/**
 * intentTags are a claim's intent as comparable tags: the prompt's keywords and
 * the budget's band (`budget:tight` under $100 a month, `budget:moderate`
 * under $500, `budget:large` above), sorted. Retrieval compares them apart from
 * the app's traits, so the same words never make two different apps alike.
 */
export function intentTags(prompt: string, maxMonthlyCost?: number): string[] {
  const tags: string[] = [...keywordsOf(prompt)];
  if (maxMonthlyCost !== undefined) tags.push(maxMonthlyCost < 100 ? 'budget:tight' : maxMonthlyCost < 500 ? 'budget:moderate' : 'budget:large');
  return tags.sort();
}
