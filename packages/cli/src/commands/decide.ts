import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import type { Command, Io } from '../command.js';
import { buildSpec } from './decide-spec.js';

const USAGE = `Usage: scia decide CLAIM.yaml [flags]
       scia decide --repo PATH_OR_URL --prompt TEXT [flags]

Runs the analyze, retrieve and decide steps in-process on a claim
and prints the decision: strategy, size, monthly cost and why. Flags override
the claim's fields. The model is OLLAMA_HOST (+ SCIA_OLLAMA_MODEL); without
one, the rules decide. Decisions are kept by input hash under SCIA_DATA_DIR.
  --repo PATH_OR_URL     the repository (a local path or an HTTPS Git URL)
  --ref REF              branch, tag or commit (default HEAD)
  --prompt TEXT          what the team wants, in its own words
  --region R             AWS region (default us-east-1)
  --budget USD           monthly budget
  --enforcement MODE     soft (default) or hard
  --strategy S           auto (default), vm, kubernetes or serverless
  --policy P             require-https or enable-monitoring (repeatable)
  --image IMAGE          the container image CI built (spec.artifact.image)
  --json                 print the Decision exactly as the step puts it in context`;

const OPTIONS = {
  repo: { type: 'string' }, ref: { type: 'string' }, prompt: { type: 'string' }, region: { type: 'string' },
  budget: { type: 'string' }, enforcement: { type: 'string' }, strategy: { type: 'string' },
  policy: { type: 'string', multiple: true }, image: { type: 'string' },
  json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * run reads the flags, then loads the pipeline in parts: the store first,
 * which starts opening (a fresh one unpacked from its template) while the
 * retrieve, analyze and decide steps load and the repository is analysed.
 * A claim that cannot be read leaves the store unopened.
 */
async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1 || (positionals.length === 0 && values.repo === undefined)) {
    io.stderr.write(`scia decide: expected CLAIM.yaml or --repo\n${USAGE}\n`);
    return 2;
  }
  const spec = await buildSpec(positionals[0], values, io);
  if (!spec.ok) {
    io.stderr.write(`scia decide: ${spec.error}\n`);
    return 2;
  }
  // One decision runs PGlite for well under a second: compiling its WebAssembly with the
  // baseline compiler alone, without optimizing hot functions in the background as a
  // long-lived process should, costs about a quarter less CPU, from a template or from nothing.
  // The flag holds for the rest of this process, whose only work is this decision.
  setFlagsFromString('--liftoff-only');
  const env = { ...io.env, SCIA_CALL_BUDGET_MS: '60000' };
  const { primeStore } = await import('./decide-store.js');
  const primed = primeStore(io, env);
  const { buildRetrieve } = await import('./decide-retrieve.js');
  const retrieving = buildRetrieve(io, env, primed);
  const { decide } = await import('./decide-pipeline.js');
  return decide(spec.value, { json: values.json }, retrieving, io);
}

export const command: Command = { name: 'decide', summary: 'decide how a claim deploys: strategy, size, monthly cost and why', usage: USAGE, run };
