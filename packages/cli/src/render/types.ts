import type { BuiltFunction, Logger } from '@scia/runtime';
import type { JsonObject } from '../yaml-io.js';

export type { JsonObject };

/**
 * BuiltinRegistry maps Function package names to how to build each one
 * in-process with a logger; the caller (the CLI) decides their configuration.
 */
export type BuiltinRegistry = Readonly<Record<string, (logger: Logger) => Promise<BuiltFunction>>>;

/**
 * RenderInputs are the parsed manifests `scia render` reads: the XR, the
 * Composition, the Functions and the optional observed resources, required
 * (and deprecated extra) resources, credential Secrets, initial context and XRD.
 */
export interface RenderInputs {
  xr: JsonObject;
  composition: JsonObject;
  functions: readonly JsonObject[];
  observed?: readonly JsonObject[];
  requiredResources?: readonly JsonObject[];
  extraResources?: readonly JsonObject[];
  /** credentials are Secrets; pipeline steps name them in `credentials[].secretRef`. */
  credentials?: readonly JsonObject[];
  /** context holds the initial context keys (`--context-files`, `--context-values`), already parsed. */
  context?: Readonly<Record<string, unknown>>;
  /** xrd, when given, supplies schema defaults that are applied to the XR before rendering. */
  xrd?: JsonObject;
}

/** RenderOptions choose what is printed and how functions are reached. */
export interface RenderOptions {
  /** builtins are the functions that may run in-process (the CLI passes SCIA's own). */
  builtins: BuiltinRegistry;
  /** timeoutMs bounds waiting for function servers and calls (default 60 000, as `--timeout 1m`). */
  timeoutMs?: number;
  /** includeFullXr copies the input XR's spec and metadata into the output (`-x`). */
  includeFullXr?: boolean;
  /** includeResults adds a `Result` document per non-fatal function result (`-r`). */
  includeResults?: boolean;
  /** includeContext adds the final `Context` document (`-c`). */
  includeContext?: boolean;
  /** logger receives in-process functions' logs; silent by default. */
  logger?: Logger;
  /** note receives human notes (for example an in-process fallback); dropped by default. */
  note?: (line: string) => void;
}

/** RenderOutput is what a successful render prints, in order: the XR, composed resources, results, context. */
export interface RenderOutput {
  documents: JsonObject[];
}

export type RenderResult = { ok: true; value: RenderOutput } | { ok: false; error: string };

/** Annotations and labels `crossplane render` reads or writes. */
export const ANNOTATION_RUNTIME = 'render.crossplane.io/runtime';
export const ANNOTATION_DEVELOPMENT_TARGET = 'render.crossplane.io/runtime-development-target';
export const ANNOTATION_RESOURCE_NAME = 'crossplane.io/composition-resource-name';
export const LABEL_COMPOSITE = 'crossplane.io/composite';
export const LABEL_CLAIM_NAME = 'crossplane.io/claim-name';
export const LABEL_CLAIM_NAMESPACE = 'crossplane.io/claim-namespace';
export const RENDER_API_VERSION = 'render.crossplane.io/v1beta1';
export const DEFAULT_DEVELOPMENT_TARGET = 'localhost:9443';
export const DEFAULT_TIMEOUT_MS = 60_000;
