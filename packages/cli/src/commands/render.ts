import { newLogger, silentLogger } from '@scia/runtime';
import { parseArgs, type FlagSpec } from '../args.js';
import type { Command, Io } from '../command.js';
import { builtinFunctions } from '../functions.js';
import {
  DEFAULT_DEVELOPMENT_TARGET,
  formatStream,
  loadRenderInputs,
  parseGoDuration,
  renderPipeline,
  type BuiltinRegistry,
  type RenderPaths,
} from '../render/index.js';

const FLAGS: FlagSpec = {
  'observed-resources': { kind: 'string', short: 'o' },
  'required-resources': { kind: 'string', short: 'e' },
  'extra-resources': { kind: 'string' },
  'context-files': { kind: 'pairs' },
  'context-values': { kind: 'pairs' },
  'include-function-results': { kind: 'bool', short: 'r' },
  'include-full-xr': { kind: 'bool', short: 'x' },
  'include-context': { kind: 'bool', short: 'c' },
  'function-credentials': { kind: 'string' },
  xrd: { kind: 'string' },
  timeout: { kind: 'string' },
  verbose: { kind: 'bool' },
  help: { kind: 'bool', short: 'h' },
};

const USAGE = `Usage: scia render XR COMPOSITION FUNCTIONS [flags]

Renders an XR as \`crossplane render\` does: runs the Composition's function
pipeline locally and prints the XR and the composed resources as YAML.
FUNCTIONS is a file of Function documents or a directory of .yaml/.yml files.
A Function annotated render.crossplane.io/runtime: Development is reached at
render.crossplane.io/runtime-development-target (default ${DEFAULT_DEVELOPMENT_TARGET});
SCIA's own functions otherwise run in-process.

Flags:
  -o, --observed-resources PATH    observed composed resources (file or directory)
  -e, --required-resources PATH    resources functions may require (file or directory)
      --extra-resources PATH       deprecated name of --required-resources
      --context-files KEY=FILE     context value from a JSON file (repeatable)
      --context-values KEY=JSON    context value (repeatable; wins over --context-files)
  -r, --include-function-results   print function results as kind: Result
  -x, --include-full-xr            print the input XR's spec and metadata
  -c, --include-context            print the final context as kind: Context
      --function-credentials PATH  Secrets that pipeline steps' credentials name
      --xrd PATH                   apply this XRD's schema defaults to the XR
      --timeout DURATION           how long to wait for functions (default 1m)
      --verbose                    print notes and function logs to stderr
  -h, --help                       print this help
`;

/** newRenderCommand builds `scia render`; tests inject the built-in functions it may run in-process. */
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
  const contextFiles = args.pairs.get('context-files');
  const contextValues = args.pairs.get('context-values');
  if (contextFiles !== undefined) paths.contextFiles = contextFiles;
  if (contextValues !== undefined) paths.contextValues = contextValues;
  const inputs = await loadRenderInputs(paths);
  if (!inputs.ok) return fail(inputs.error);
  // The CLI may read local repositories (examples/apps); functions started elsewhere must opt in.
  const env = { SCIA_ALLOW_LOCAL_REPOS: 'true', ...io.env };
  const debug = io.env['SCIA_DEBUG'] ?? '';
  const verbose = args.bools.has('verbose') || !['', '0', 'false'].includes(debug);
  const out = await renderPipeline(inputs.value, {
    timeoutMs,
    includeFullXr: args.bools.has('include-full-xr'),
    includeResults: args.bools.has('include-function-results'),
    includeContext: args.bools.has('include-context'),
    logger: verbose ? newLogger({ name: 'scia-render', debug: true }) : silentLogger(),
    ...(verbose ? { note: (line: string) => io.stderr.write(`scia render: ${line}\n`) } : {}),
    builtins: builtins ?? builtinFunctions(env, io.cwd),
  });
  if (!out.ok) return fail(out.error);
  io.stdout.write(formatStream(out.value.documents));
  return 0;
}

function optionalPaths(strings: Map<string, string>): Partial<RenderPaths> {
  const out: Partial<RenderPaths> = {};
  const set = (key: 'observedResources' | 'requiredResources' | 'extraResources' | 'functionCredentials' | 'xrd', flag: string): void => {
    const v = strings.get(flag);
    if (v !== undefined) out[key] = v;
  };
  set('observedResources', 'observed-resources');
  set('requiredResources', 'required-resources');
  set('extraResources', 'extra-resources');
  set('functionCredentials', 'function-credentials');
  set('xrd', 'xrd');
  return out;
}
