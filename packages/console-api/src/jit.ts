import { print, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { Lru } from './lru.js';

/**
 * QueryCompiler runs queries through graphql-jit: each distinct query
 * (document and operation name) is compiled once to a function, several times
 * faster than interpreting it on large pages. Compiled queries are kept (256).
 */
export class QueryCompiler {
  private readonly compiled = new Lru<string, CompiledQuery>(256);
  private readonly keys = new WeakMap<DocumentNode, string>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** run executes a query; it answers undefined for what it does not compile (the caller then interprets it). */
  run(args: ExecutionArgs): Promise<ExecutionResult> | ExecutionResult | undefined {
    const key = `${args.operationName ?? ''}\n${this.keyOf(args.document)}`;
    let query = this.compiled.get(key);
    if (query === undefined) {
      const made = compileQuery(this.schema, args.document, args.operationName ?? undefined);
      if (!isCompiledQuery(made)) return undefined;
      query = made;
      this.compiled.set(key, query);
    }
    return query.query(args.rootValue, args.contextValue, args.variableValues ?? {});
  }

  private keyOf(doc: DocumentNode): string {
    let k = this.keys.get(doc);
    if (k === undefined) {
      k = doc.loc?.source.body ?? print(doc);
      this.keys.set(doc, k);
    }
    return k;
  }
}
