import type { Result } from '@scia/api';

/**
 * Embedder turns texts into vectors. `id` names the model and its settings:
 * rows keep it, and a query compares only vectors made by the same id.
 */
export interface Embedder {
  readonly id: string;
  /** dimensions is the vector length, when known before the first call. */
  readonly dimensions: number | undefined;
  embed(texts: readonly string[]): Promise<Result<number[][]>>;
}
