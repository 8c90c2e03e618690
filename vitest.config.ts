import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against sources, so a change needs no build before `vitest`.
    alias: [
      { find: /^@scia\/function-(.+)\/main$/, replacement: `${root}functions/$1/src/main.ts` },
      { find: /^@scia\/function-(.+)$/, replacement: `${root}functions/$1/src/index.ts` },
      // Node resolves `graphql` to its CommonJS build for the GraphQL servers; sources must share that one copy.
      { find: /^graphql$/, replacement: 'graphql/index.js' },
      // A step's @scia/runtime/step is the same module instance as the tests' @scia/runtime (one set of lazily decoded objects, one freezeJson set).
      { find: /^@scia\/runtime\/step$/, replacement: `${root}packages/runtime/src/step.ts` },
      { find: /^@scia\/([a-z-]+)\/testing$/, replacement: `${root}packages/$1/src/testing/index.ts` },
      { find: /^@scia\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'functions/*/test/**/*.test.ts', 'web/test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
