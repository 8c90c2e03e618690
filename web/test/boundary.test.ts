import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('the dashboard’s sources', () => {
  it('reach SCIA only through the team API: they import React, graphql-ws and each other, nothing else', () => {
    const outside = sources(SRC).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(IMPORT)]
        .map((m) => m[1] ?? m[2] ?? '')
        .filter((spec) => !(spec.startsWith('./') || spec.startsWith('../') || /^(react|react-dom|graphql-ws)(\/|$)/.test(spec)))
        .map((spec) => `${file.slice(SRC.length)}: ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});
