import type { AppFacts } from './records.js';

/** MAX_SUMMARY_WORDS bounds the text embedded for one deployment or query. */
export const MAX_SUMMARY_WORDS = 400;

/**
 * appSummary is the short structured text embedded for an app: its stack, the
 * services it needs, its main dependencies, where and for how much it should
 * run, and the team's words. Cases and queries are summarized alike, so their
 * vectors compare what the apps are, not how they were deployed.
 */
export function appSummary(app: AppFacts): string {
  const lines = [
    `${app.framework} ${app.language} ${app.kind ?? 'app'}`,
    app.services.length === 0 ? '' : `services: ${[...app.services].sort().join(', ')}`,
    app.dependencies.length === 0 ? '' : `dependencies: ${app.dependencies.slice(0, 25).join(', ')}`,
    app.dockerfile === true ? 'has a Dockerfile' : '',
    app.region === undefined ? '' : `region: ${app.region}`,
    app.budgetMonthly === undefined ? '' : `budget: ${Math.round(app.budgetMonthly)} USD per month`,
    app.prompt.trim() === '' ? '' : `request: ${app.prompt.trim()}`,
  ].filter((l) => l !== '');
  return limitWords(lines.join('\n'), MAX_SUMMARY_WORDS);
}

function limitWords(text: string, max: number): string {
  const words = text.split(/(\s+)/);
  let count = 0;
  let out = '';
  for (const part of words) {
    if (part.trim() !== '' && ++count > max) break;
    out += part;
  }
  return out.trimEnd();
}
