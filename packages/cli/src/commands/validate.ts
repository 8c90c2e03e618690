import { parseArgs } from 'node:util';
import { createValidator, crdDir, missingDirMessage } from '@scia/schemas';
import type { Command, Io } from '../command.js';
import { collectFiles, defaultPaths, validateFile } from '../validate/documents.js';
import type { Problem, Report } from '../validate/documents.js';
import { XrSchemas } from '../validate/xr-schemas.js';

const USAGE = `Usage: scia validate [PATHS...] [--json]

Validates every YAML document under PATHS (files or directories; default:
xrds/, compositions/, package/, functions/*/package/crossplane.yaml,
examples/) against the Crossplane and provider CRDs (from SCIA_CRD_DIR, else
../shared/reference, else the npm run crds cache), claims and XRs against the
CRDs Crossplane generates from our XRDs, CEL rules included. One line per
problem: FILE: KIND/NAME: FIELD: MESSAGE. Exit status 1 when any is found.
  --json  print {files, documents, problems[], skipped[]} instead`;

/** validatePaths validates the documents under `paths`, resolved from `cwd`. */
export async function validatePaths(paths: string[], io: Pick<Io, 'cwd' | 'env'>): Promise<{ ok: true; value: Report } | { ok: false; error: string }> {
  const where = crdDir(io.env, io.cwd);
  if (!where.exists) return { ok: false, error: `cannot load CRDs: ${missingDirMessage(where)}` };
  const crossplane = createValidator(where.dir);
  if (!crossplane.ok) return crossplane;
  const xr = XrSchemas.build();
  if (!xr.ok) return { ok: false, error: `cannot build the Deployment schemas: ${xr.error}` };
  const wanted = paths.length > 0 ? paths : await defaultPaths(io.cwd);
  const { files, missing } = await collectFiles(wanted, io.cwd);
  if (missing.length > 0) return { ok: false, error: `cannot validate: no such file or directory: ${missing.join(', ')}` };
  const report: Report = { files: 0, documents: 0, problems: [], skipped: [] };
  for (const file of files) await validateFile(file, io.cwd, { crossplane: crossplane.value, xr: xr.value }, report);
  report.skipped = [...new Set(report.skipped)].sort();
  return { ok: true, value: report };
}

/** formatProblem renders one problem as `file: Kind/name: field: message`. */
export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.kind}/${p.name}: ${p.field}: ${p.message}`;
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const result = await validatePaths(positionals, io);
  if (!result.ok) {
    io.stderr.write(`scia validate: ${result.error}\n`);
    return 1;
  }
  const report = result.value;
  if (values.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const p of report.problems) io.stdout.write(`${formatProblem(p)}\n`);
  }
  if (report.problems.length > 0) {
    io.stderr.write(`scia validate: ${report.problems.length} problem(s) in ${report.documents} document(s) of ${report.files} file(s)\n`);
    return 1;
  }
  return 0;
}

/** command is `scia validate`. */
export const command: Command = {
  name: 'validate',
  summary: 'validate XRDs, compositions, packages and examples against the CRDs',
  usage: USAGE,
  run,
};
