import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toStructuralSchema, withCelRules } from '../src/structural.js';
import type { Result, StructuralSchema } from '../src/index.js';

interface Case {
  reason: string;
  schema: z.ZodType;
  want: Result<StructuralSchema>;
}

const cases: Record<string, Case> = {
  defaults: {
    reason: 'Fields with defaults are optional and carry their default, as a claim writes them.',
    schema: z.object({ a: z.string().default('x'), b: z.array(z.string()).max(3).default([]) }),
    want: {
      ok: true,
      value: {
        type: 'object',
        properties: {
          a: { type: 'string', default: 'x' },
          b: { type: 'array', maxItems: 3, default: [], items: { type: 'string' } },
        },
      },
    },
  },
  integers: {
    reason: 'Integers lose the safe-integer bounds zod adds but keep their own.',
    schema: z.object({ n: z.number().int(), p: z.number().int().min(1).max(65535) }),
    want: {
      ok: true,
      value: {
        type: 'object',
        properties: { n: { type: 'integer' }, p: { type: 'integer', minimum: 1, maximum: 65535 } },
        required: ['n', 'p'],
      },
    },
  },
  exclusive: {
    reason: 'A strict lower bound becomes minimum with exclusiveMinimum, the OpenAPI v3.0 form.',
    schema: z.number().positive(),
    want: { ok: true, value: { type: 'number', minimum: 0, exclusiveMinimum: true } },
  },
  nullable: {
    reason: 'A nullable field becomes its type with nullable: true, not an anyOf.',
    schema: z.object({ s: z.string().max(5).nullable().optional() }),
    want: { ok: true, value: { type: 'object', properties: { s: { type: 'string', maxLength: 5, nullable: true } } } },
  },
  literals: {
    reason: 'A union of literals becomes one enum; a literal becomes a one-value enum.',
    schema: z.object({ u: z.union([z.literal('a'), z.literal('b')]), c: z.literal('USD') }),
    want: {
      ok: true,
      value: {
        type: 'object',
        properties: { u: { type: 'string', enum: ['a', 'b'] }, c: { type: 'string', enum: ['USD'] } },
        required: ['u', 'c'],
      },
    },
  },
  record: {
    reason: 'A record becomes an object whose additionalProperties is the value schema; strict objects stay open.',
    schema: z.strictObject({ m: z.record(z.string(), z.number()) }),
    want: {
      ok: true,
      value: {
        type: 'object',
        properties: { m: { type: 'object', additionalProperties: { type: 'number' } } },
        required: ['m'],
      },
    },
  },
  description: {
    reason: 'Descriptions are kept, for kubectl explain.',
    schema: z.string().regex(/^a+$/).describe('only a'),
    want: { ok: true, value: { type: 'string', description: 'only a', pattern: '^a+$' } },
  },
  shapes: {
    reason: 'A union of different shapes has no structural form and is refused, naming where.',
    schema: z.object({ x: z.union([z.string(), z.number()]) }),
    want: { ok: false, error: '/x: a union of different shapes has no structural schema' },
  },
  catchall: {
    reason: 'Known fields beside a map of others cannot be said in a structural schema.',
    schema: z.object({ a: z.string() }).catchall(z.number()),
    want: { ok: false, error: '/: an object with both properties and additionalProperties has no structural schema' },
  },
  unrepresentable: {
    reason: 'A type JSON Schema cannot say is refused rather than dropped.',
    schema: z.object({ d: z.date() }),
    want: { ok: false, error: 'cannot convert schema to JSON Schema: Date cannot be represented in JSON Schema' },
  },
};

describe('toStructuralSchema', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    expect(toStructuralSchema(c.schema), c.reason).toEqual(c.want);
  });
});

describe('withCelRules', () => {
  const base: StructuralSchema = { type: 'object', properties: { spec: { type: 'object', properties: { b: { type: 'object' } } } } };
  const rule = { rule: 'has(self.x)', message: 'x is required' };
  it.each(Object.entries({
    nested: {
      reason: 'Rules land on the object at the path, other nodes unchanged.',
      path: ['spec', 'b'],
      want: {
        ok: true,
        value: {
          type: 'object',
          properties: { spec: { type: 'object', properties: { b: { type: 'object', 'x-kubernetes-validations': [rule] } } } },
        },
      },
    },
    missing: {
      reason: 'A path that names no property is an error, not a silent no-op.',
      path: ['spec', 'nope'],
      want: { ok: false, error: 'cannot attach CEL rules: no property nope' },
    },
  }))('%s', (_, c) => {
    expect(withCelRules(base, c.path, [rule]), c.reason).toEqual(c.want);
  });
});
