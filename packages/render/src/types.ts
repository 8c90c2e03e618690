import type { BuiltFunction, Logger } from '@scia/runtime';
import type { JsonObject } from './yaml-io.js';

export type { JsonObject };

/** FunctionEnv is environment a Function's render.crossplane.io/runtime-docker-env gives it, as a container would get. */
export type FunctionEnv = Readonly<Record<string, string>>;

/**
 * BuiltinRegistry maps Function names to how to build each in-process with a
 * logger; the caller (the CLI) decides their configuration and injects
 * SCIA's own. The render passes the Function's runtime-docker-env, to be
 * added over that configuration (a caller that serves them passes none).
 */
export type BuiltinRegistry = Readonly<Record<string, (logger: Logger, env?: FunctionEnv) => Promise<BuiltFunction>>>;

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
  /** requiredSchemas are OpenAPI v3 documents that answer functions' schema requirements. */
  requiredSchemas?: readonly JsonObject[];
  /** credentials are Secrets; pipeline steps name them in `credentials[].secretRef`. */
  credentials?: readonly JsonObject[];
  /** context holds initial context keys, already parsed. */
  context?: Readonly<Record<string, unknown>>;
  /**
   * contextText holds initial context keys as read (`--context-files`
   * contents, `--context-values`), each parsed as YAML or JSON once the
   * runtimes have started, as crossplane render does; they win over `context`.
   */
  contextText?: Readonly<Record<string, string>>;
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
  /** note receives human notes (which runtime serves each Function); dropped by default. */
  note?: (line: string) => void;
}

/** RenderOutput is what a successful render prints, in order: the XR, composed resources, results, context. */
export interface RenderOutput {
  documents: JsonObject[];
}

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
