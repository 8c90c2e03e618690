import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLScalarType, valueFromASTUntyped, type GraphQLSchema } from 'graphql';
import type { Ctx } from './context.js';
import { Mutation } from './mutations.js';
import { Query } from './queries.js';
import { changes } from './subscriptions.js';
import { Decision, Deployment } from './types.js';

/** SCHEMA_FILE is the SDL every client builds against (packages/console-api/schema.graphql). */
export const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

const JSON_SCALAR = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, vars) => valueFromASTUntyped(ast, vars),
});

/** consoleSchema is the SDL with its resolvers. */
export function consoleSchema(): GraphQLSchema {
  return makeExecutableSchema<Ctx>({
    typeDefs: readFileSync(SCHEMA_FILE, 'utf8'),
    resolvers: {
      JSON: JSON_SCALAR,
      Query,
      Mutation,
      Deployment,
      Decision,
      Subscription: {
        deploymentUpdated: {
          subscribe: (_: unknown, args: { namespace?: string | null }, ctx: Ctx) => changes(ctx, args.namespace),
        },
      },
    },
  });
}
