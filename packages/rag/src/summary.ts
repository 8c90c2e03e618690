import { intentTags } from '@scia/api';
import type { AppFacts } from './records.js';

/** MAX_SUMMARY_WORDS bounds the text embedded for one deployment or query. */
export const MAX_SUMMARY_WORDS = 400;

/**
 * appSummary is the short structured text embedded for an app: its traits
 * only (stack, kind, the services it needs, its main dependencies, whether it
 * ships a Dockerfile). What the team asked for is compared apart (see
 * intentOf), so the same words never make two different apps alike. Cases and
 * queries are summarized alike, so their vectors compare what the apps are.
 */
export function appSummary(app: AppFacts): string {
  const lines = [
    `${app.framework} ${app.language} ${app.kind ?? 'app'}`,
    app.services.length === 0 ? '' : `services: ${[...app.services].sort().join(', ')}`,
    app.dependencies.length === 0 ? '' : `dependencies: ${app.dependencies.slice(0, 25).join(', ')}`,
    app.dockerfile === true ? 'has a Dockerfile' : '',
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

/** intentOf is an app's intent tags: the ones it carries, else those of its prompt and budget. */
export function intentOf(app: AppFacts): string[] {
  return app.intent === undefined ? intentTags(app.prompt, app.budgetMonthly) : [...new Set(app.intent)].sort();
}
