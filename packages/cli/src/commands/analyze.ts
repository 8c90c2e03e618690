import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { Analysis, Api, ContextKey, parseEnv, type Evidence } from '@scia/api';
import { GitEnv } from '@scia/analyzer';
import { definition } from '@scia/function-analyze';
import type { Command, Io } from '../command.js';
import { runOnce } from '../functions.js';

/**
 * analyzeRequest is the request the analyze step would get for a claim naming
 * `url`: `scia analyze` runs the step itself, so its JSON is exactly what the
 * step puts in context.
 */
export function analyzeRequest(url: string, ref: string | undefined, path: string | undefined): RunFunctionRequest {
  const repository = { url, ...(ref === undefined ? {} : { ref }), ...(path === undefined ? {} : { path }) };
  return RunFunctionRequest.fromPartial({
    meta: { tag: 'scia-analyze' },
    observed: { composite: { resource: { apiVersion: Api.apiVersion, kind: Api.compositeKind, metadata: { name: 'scia-analyze' }, spec: { repository } } } },
  });
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, ref: { type: 'string' }, path: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const target = positionals[0];
  if (target === undefined || positionals.length > 1) {
    io.stderr.write(`scia analyze: expected one PATH_OR_URL\n${command.usage}\n`);
    return 2;
  }
  // A bare relative directory (`myapp`) is a local path; anything with a scheme is a URL.
  const url = !target.includes('://') && existsSync(resolve(io.cwd, target)) ? resolve(io.cwd, target) : target;
  const git = parseEnv(GitEnv, io.env);
  if (!git.ok) {
    io.stderr.write(`scia analyze: ${git.error}\n`);
    return 2;
  }
  // A command waits for the whole fetch: a resolve and a fetch, each within the Git timeout.
  const env = { ...io.env, SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_CALL_BUDGET_MS: String(2 * git.value.SCIA_GIT_TIMEOUT_MS + 5000) };
  const rsp = await runOnce(definition, analyzeRequest(url, values.ref, values.path), env, io.cwd);
  const analysis = Analysis.safeParse(rsp.context?.[ContextKey.analysis]);
  for (const r of rsp.results) {
    // Without an analysis the command has failed: what the step reports as a Warning to retry is this run's error.
    const failed = r.severity === Severity.SEVERITY_FATAL || (r.severity === Severity.SEVERITY_WARNING && !analysis.success);
    const level = failed ? 'error' : r.severity === Severity.SEVERITY_WARNING ? 'warning' : 'info';
    io.stderr.write(`scia analyze: ${level}: ${r.message}\n`);
  }
  if (!analysis.success) return 1;
  io.stdout.write(values.json === true ? `${JSON.stringify(rsp.context?.[ContextKey.analysis], null, 2)}\n` : summary(analysis.data));
  return 0;
}

function at(e: Evidence | undefined): string {
  if (e === undefined) return '';
  return ` (${e.file}${e.line === undefined ? '' : `:${e.line}`}${e.note === undefined ? '' : `, ${e.note}`})`;
}

/** summary renders an Analysis for a reader, one fact a line. */
export function summary(a: Analysis): string {
  const lang = a.languages[0];
  const rows: [string, string | undefined][] = [
    ['repository', `${a.url}${a.path === undefined ? '' : ` (${a.path})`} at ${a.commit}`],
    ['language', `${a.language}${lang?.version === undefined ? '' : ` ${lang.version}`}${at(lang?.evidence[0])}`],
    ['framework', `${a.framework}${at(a.frameworks[0]?.evidence[0])}`],
    ['kind', a.kind],
    ['port', a.port === undefined ? undefined : `${a.port}${at(a.ports[0]?.evidence)}`],
    ['build', a.buildCommand === undefined ? undefined : `${a.buildCommand}${at(a.commandEvidence?.build)}`],
    ['start', a.startCommand === undefined ? undefined : `${a.startCommand}${at(a.commandEvidence?.start)}`],
    ['services', a.services.length === 0 ? undefined : a.services.map((s) => `${s.kind}${at(s.evidence[0])}`).join(', ')],
    ['dependencies', `${a.dependencyCount}${a.packageManager === undefined ? '' : ` (${a.packageManager})`}`],
    ['dockerfile', a.dockerfile === undefined ? undefined : `${a.dockerfile.path}${a.dockerfile.baseImage === undefined ? '' : ` from ${a.dockerfile.baseImage}`}`],
    ['monorepo', a.monorepo === undefined ? undefined : `${a.monorepo.tool}: ${a.monorepo.apps.join(', ')}${a.monorepo.analyzed === undefined ? '' : ` (analysed ${a.monorepo.analyzed})`}`],
    ['hints', a.hints.length === 0 ? undefined : a.hints.join(', ')],
    ['confidence', String(a.confidence)],
    ...a.warnings.map((w): [string, string] => ['warning', w]),
  ];
  return `${rows.filter((r): r is [string, string] => r[1] !== undefined).map(([k, v]) => `${k.padEnd(13)}${v}`).join('\n')}\n`;
}

export const command: Command = {
  name: 'analyze',
  summary: 'analyze a repository (local path or HTTPS Git URL) as the analyze step does',
  usage: 'Usage: scia analyze PATH_OR_URL [--json] [--ref REF] [--path DIR]\n\n  --json       print the Analysis exactly as the analyze step puts it in context\n  --ref REF    branch, tag or commit (default HEAD)\n  --path DIR   analyse this directory of the repository (a monorepo app)',
  run,
};
