import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newLogger, silentLogger } from '@scia/runtime';
import { parseArgs, type FlagSpec } from '../args.js';
import type { Command, Io } from '../command.js';
import { builtinFunctions } from '../functions.js';
import { renderEnvironment } from './render-env.js';
import {
  DEFAULT_DEVELOPMENT_TARGET,
  parseGoDuration,
  renderFiles,
  type BuiltinRegistry,
  type RenderPaths,
} from '@scia/render';

const FLAGS: FlagSpec = {
  'context-files': { kind: 'pairs' },
  'context-values': { kind: 'pairs' },
  'include-function-results': { kind: 'bool', short: 'r' },
  'include-full-xr': { kind: 'bool', short: 'x' },
  'observed-resources': { kind: 'string', short: 'o' },
  'extra-resources': { kind: 'string' },
  'required-resources': { kind: 'string', short: 'e' },
  'required-schemas': { kind: 'string', short: 's' },
  'include-context': { kind: 'bool', short: 'c' },
  'function-credentials': { kind: 'string' },
  'function-annotations': { kind: 'list', short: 'a' },
  timeout: { kind: 'string' },
  xrd: { kind: 'string' },
  verbose: { kind: 'bool' },
  help: { kind: 'bool', short: 'h' },
};

/** USAGE lists crossplane render's flags, in its order and with its defaults, then scia's runtimes. */
const USAGE = `Usage: scia render <composite-resource> <composition> <functions> [flags]

Render an XR as \`crossplane render\` does: run the Composition's function
pipeline locally and print the XR and the composed resources it would create
as a YAML stream. Only Compositions in mode Pipeline render.

Arguments:
  <composite-resource>    the XR to render (a YAML file)
  <composition>           the Composition that renders it (a YAML file; spec.mode must be Pipeline)
  <functions>             the Functions the pipeline names (a YAML file, or a directory of .yaml/.yml files)

Flags (crossplane render's, same names, shorthands and defaults):
  -h, --help                          print this help
      --verbose                       say on stderr which runtime serves each Function; print function logs
      --context-files=KEY=VALUE       start the pipeline context with KEY set to the JSON/YAML in file VALUE (repeatable)
      --context-values=KEY=VALUE      start the pipeline context with KEY set to the JSON/YAML VALUE (repeatable; wins over --context-files)
  -r, --include-function-results      print each function result (but Fatal ones) as a kind: Result document
  -x, --include-full-xr               print the input XR's spec and metadata in the rendered XR
  -o, --observed-resources=PATH       observed composed resources (a YAML file or directory)
      --extra-resources=PATH          deprecated name of --required-resources
  -e, --required-resources=PATH       resources functions may require (a YAML file or directory)
  -s, --required-schemas=DIR          OpenAPI v3 documents (kubectl get --raw /openapi/v3/<group-version>) answering schema requirements; .json files, searched recursively
  -c, --include-context               print the final pipeline context as a kind: Context document
      --function-credentials=PATH     Secrets that pipeline steps' credentials name (a YAML file or directory)
  -a, --function-annotations=KEY=VALUE
                                      set this annotation on every Function, over its own (repeatable)
      --timeout=1m                    how long the whole render may take, as a Go duration
      --xrd=PATH                      the XR's CompositeResourceDefinition; its schema defaults are applied to the XR

Runtimes (the render.crossplane.io/runtime annotation of each Function):
  Docker (the default)    crossplane render runs the Function's package in Docker. scia render has no
                          Docker: it runs SCIA's own functions in-process over gRPC on loopback (with the
                          environment in render.crossplane.io/runtime-docker-env) and refuses others,
                          naming the annotations that let them run.
  Development             Connect to a Function that is already running, plaintext, at
                          render.crossplane.io/runtime-development-target (default ${DEFAULT_DEVELOPMENT_TARGET}),
                          waiting for it until --timeout. \`scia serve --insecure\` serves SCIA's functions so.

Examples:
  # Render an example with SCIA's functions in-process.
  scia render examples/vm-basic/xr.yaml examples/vm-basic/composition.yaml examples/vm-basic/functions.yaml \\
    -a render.crossplane.io/runtime=Docker

  # Render against functions served by \`scia serve --insecure\` (the examples' Development targets).
  scia render examples/vm-basic/xr.yaml examples/vm-basic/composition.yaml examples/vm-basic/functions.yaml
`;

/** newRenderCommand builds `scia render`, running the given built-in functions in-process (SCIA's by default). */
export function newRenderCommand(deps: { builtins?: BuiltinRegistry } = {}): Command {
  return {
    name: 'render',
    summary: 'render an XR through the function pipeline, as crossplane render does',
    usage: USAGE,
    run: (argv, io) => runRender(argv, io, deps.builtins),
  };
}

/** command is `scia render` with SCIA's built-in functions. */
export const command = newRenderCommand();

async function runRender(argv: string[], io: Io, builtins: BuiltinRegistry | undefined): Promise<number> {
  const fail = (message: string, status = 1): number => {
    io.stderr.write(`scia render: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return status;
  };
  const parsed = parseArgs(argv, FLAGS);
  if (!parsed.ok) return fail(`${parsed.error}; run scia render --help`, 2);
  const args = parsed.value;
  if (args.bools.has('help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const [xr, composition, functions, ...extra] = args.positionals;
  if (xr === undefined || composition === undefined || functions === undefined || extra.length > 0) {
    return fail('expected three arguments: XR COMPOSITION FUNCTIONS; run scia render --help', 2);
  }
  const timeoutMs = parseGoDuration(args.strings.get('timeout') ?? '1m');
  if (timeoutMs === undefined) return fail(`invalid --timeout ${JSON.stringify(args.strings.get('timeout'))}: want a duration such as 30s or 1m`, 2);
  const paths: RenderPaths = { xr, composition, functions, ...optionalPaths(args.strings) };
  const annotations = args.lists.get('function-annotations');
  if (annotations !== undefined) paths.functionAnnotations = annotations;
  const contextFiles = args.pairs.get('context-files');
  const contextValues = args.pairs.get('context-values');
  if (contextFiles !== undefined) paths.contextFiles = contextFiles;
  if (contextValues !== undefined) paths.contextValues = contextValues;
  const debug = io.env['SCIA_DEBUG'] ?? '';
  const verbose = args.bools.has('verbose') || !['', '0', 'false'].includes(debug);
  const store = await mkdtemp(join(tmpdir(), 'scia-render-'));
  const out = await renderFiles(paths, {
    timeoutMs,
    includeFullXr: args.bools.has('include-full-xr'),
    includeResults: args.bools.has('include-function-results'),
    includeContext: args.bools.has('include-context'),
    logger: verbose ? newLogger({ name: 'scia-render', debug: true }) : silentLogger(),
    ...(verbose ? { note: (line: string) => io.stderr.write(`scia render: ${line}\n`) } : {}),
    builtins: builtins ?? builtinFunctions(renderEnvironment(io.env, store), io.cwd),
  }).finally(() => rm(store, { recursive: true, force: true }));
  if (!out.ok) return fail(out.error);
  io.stdout.write(out.value);
  return 0;
}

function optionalPaths(strings: Map<string, string>): Partial<RenderPaths> {
  const out: Partial<RenderPaths> = {};
  const set = (key: 'observedResources' | 'requiredResources' | 'extraResources' | 'requiredSchemas' | 'functionCredentials' | 'xrd', flag: string): void => {
    const v = strings.get(flag);
    if (v !== undefined) out[key] = v;
  };
  set('observedResources', 'observed-resources');
  set('requiredResources', 'required-resources');
  set('extraResources', 'extra-resources');
  set('requiredSchemas', 'required-schemas');
  set('functionCredentials', 'function-credentials');
  set('xrd', 'xrd');
  return out;
}
