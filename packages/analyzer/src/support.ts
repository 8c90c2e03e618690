import { DETECTORS, supportedFrameworks, supportedLanguages } from './detectors/index.js';
import type { Detector } from './detectors/types.js';

/**
 * supportMarkdown renders the languages and frameworks of the detector table
 * as Markdown, for the README (a test keeps the README equal to it).
 */
export function supportMarkdown(detectors: readonly Detector[] = DETECTORS): string {
  const languages = supportedLanguages(detectors);
  const frameworks = supportedFrameworks(detectors);
  const out = [`${languages.length} languages, ${frameworks.length} frameworks.`, '', '| family | languages | frameworks (id, kind, default port) |', '|---|---|---|'];
  for (const d of detectors) {
    const fws = d.frameworks.map((f) => `${f.title} (\`${f.name}\`, ${f.kind}${f.port === undefined ? '' : `, ${f.port}`})`).join('; ');
    out.push(`| ${d.family} | ${d.languages.map((l) => l.title).join(', ')} | ${fws} |`);
  }
  return `${out.join('\n')}\n`;
}
