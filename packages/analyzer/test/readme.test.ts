import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { supportMarkdown, supportedFrameworks, supportedLanguages } from '@scia/analyzer';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- support:start -->\n';
const END = '<!-- support:end -->';

describe('README', () => {
  it('lists every supported language and framework of the detector table', () => {
    const text = readFileSync(README, 'utf8');
    const [head, rest] = text.split(START);
    const tail = rest?.split(END)[1];
    const want = `${head}${START}${supportMarkdown()}${END}${tail}`;
    const update = process.env['UPDATE_GOLDEN'] === '1';
    if (update) writeFileSync(README, want);
    expect(update ? readFileSync(README, 'utf8') : text).toBe(want);
  });

  it('meets the breadth goal of 15 languages and 45 frameworks, with unique framework ids', () => {
    const ids = supportedFrameworks().map((f) => f.name);
    expect({ languages: supportedLanguages().length >= 15, frameworks: ids.length >= 45, unique: new Set(ids).size === ids.length }).toEqual({ languages: true, frameworks: true, unique: true });
  });
});
