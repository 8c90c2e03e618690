import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS } from '../src/api/operations.js';

// The team API's published schema: the dashboard's documents must be valid against it.
const SDL = fileURLToPath(new URL('../../packages/console-api/schema.graphql', import.meta.url));

describe('the dashboard’s GraphQL documents', () => {
  const schema = buildSchema(readFileSync(SDL, 'utf8'));
  it.each(Object.entries(DOCUMENTS))('%s is valid against the team API’s schema', (_name, doc) => {
    expect(validate(schema, parse(doc)).map((e) => e.message)).toEqual([]);
  });
});
