import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import { RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';
import { NODE_FLAGS } from '@scia/packaging';
import type * as PackagingModule from '@scia/packaging';
import { TRANSPORTS, WIRE_CODECS, type Transport, type WireCodec } from '@scia/runtime';
import { benchDatabase } from '../support/postgres.js';
import { startFunctionProcess, memoryMiB, type FunctionProcess } from '../support/processes.js';
import { RawClient, measureWindow, type Requests, type Target, type Window } from './load.js';
import { ShuffledPool, WireShuffler } from './shuffle.js';
import { NOW, STEPS, reachSteady, type Step } from './steady.js';
import { summarize, type PipelineReport } from './report.js';

// Compiled to bench/dist/<dir>/: the repository is three levels up.
const root = join(import.meta.dirname, '..', '..', '..');

/** PipelineOptions: concurrencies, seconds per window, repetitions, and where --cpu-prof writes profiles of every function process. */
export interface PipelineOptions {
  concurrency: number[];
  seconds: number;
  warmupMs: number;
  reps: number;
  cpuProfDir?: string;
  /** codecs: each one serves its own set of SCIA and no-op functions (SCIA_WIRE_CODEC), measured side by side; the first reaches the steady state. */
  codecs: WireCodec[];
  /** transports: likewise, each codec's functions are served on each transport (SCIA_TRANSPORT), side by side. */
  transports: Transport[];
  /**
   * nodeFlags: likewise, each set is served once per variant: node flags and
   * NAME=value environment entries (e.g. `--max-semi-space-size=4 MALLOC_ARENA_MAX=2`;
   * an empty variant is node's defaults). IMAGE_NODE_FLAGS by default.
   */
  nodeFlags?: string[];
  /** bundled runs every function (and no-op) as its image does: bundled and minified by packages/packaging, from the bundle's directory. */
  bundled?: boolean;
  /** baseline is another built checkout (e.g. the main branch's) whose functions and no-op functions are served beside these, each set named with `@base`. */
  baseline?: string;
  /** wireOrder `shuffled` (the default) sends every call with its map entries in a fresh random order, as Go's proto.Marshal does; `fixed` resends the same bytes. */
  wireOrder: 'shuffled' | 'fixed';
  /**
   * shufflePool: with `shuffled`, how many encodings of each request are
   * shuffled before measuring and sent in turn (ShuffledPool; SHUFFLE_POOL by
   * default), so that the load generator does not spend the windows
   * shuffling; 0 shuffles every call afresh during the window.
   */
  shufflePool?: number;
  progress?: (line: string) => void;
}

/** IMAGE_NODE_FLAGS are the node flags the function images run with (packages/packaging NODE_FLAGS): the bench's default variant. */
export const IMAGE_NODE_FLAGS = NODE_FLAGS.join(' ');

/** SHUFFLE_POOL is how many shuffled encodings of each step's request are made before measuring (about 240 MB for the five steady requests). */
export const SHUFFLE_POOL = 512;

/** Variant is one way of running node: its flags and extra environment. */
export interface Variant {
  /** label names the variant in targets: `semiN` for --max-semi-space-size=N, `arenaN` for MALLOC_ARENA_MAX=N, other flags without their dashes, joined by `+`. */
  label: string;
  args: string[];
  env: Record<string, string>;
}

/** parseVariant reads one --node-flags variant: node flags and NAME=value environment entries separated by spaces. */
export function parseVariant(text: string): Variant {
  const tokens = text.split(' ').filter((t) => t !== '');
  const env: Record<string, string> = {};
  const args: string[] = [];
  for (const t of tokens) {
    const assignment = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(t);
    if (assignment !== null) env[assignment[1] as string] = assignment[2] as string;
    else if (t.startsWith('--')) args.push(t);
    else throw new Error(`cannot bench: a --node-flags variant holds node flags (--x) and NAME=value entries, not ${JSON.stringify(t)}`);
  }
  const label = tokens.map((t) => t.replace(/^--max-semi-space-size=/, 'semi').replace(/^MALLOC_ARENA_MAX=/, 'arena').replace(/^--/, '')).join('+');
  return { label, args, env };
}

/** servesTransport tells whether the built checkout at `checkoutRoot` offers `transport` (a baseline may predate one). */
async function servesTransport(checkoutRoot: string, transport: Transport): Promise<boolean> {
  const runtime = (await import(pathToFileURL(join(checkoutRoot, 'packages', 'runtime', 'dist', 'index.js')).href)) as { TRANSPORTS?: readonly string[] };
  return runtime.TRANSPORTS?.includes(transport) ?? false;
}

/** targetName is how a set of functions is named in the report: `scia` and `no-op`, with `/sdk` for a codec, `/grpc-js` for a transport and `/<label>` for a node variant other than node's defaults. */
export function targetName(kind: 'scia' | 'no-op', codec: WireCodec, transport: Transport = 'http2', variant = ''): string {
  return [kind, ...(codec === 'lazy' ? [] : [codec]), ...(transport === 'http2' ? [] : [transport]), ...(variant === '' ? [] : [variant])].join('/');
}

function stepEnv(databaseUrl: string | undefined, dataDir: string, codec: WireCodec, transport: Transport): NodeJS.ProcessEnv {
  // Only what the bench names: the machine's own SCIA_* variables stay out.
  const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCIA_')));
  return { ...keep, SCIA_NOW: NOW, SCIA_WIRE_CODEC: codec, SCIA_TRANSPORT: transport, SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_DATA_DIR: dataDir, ...(databaseUrl === undefined ? {} : { SCIA_DATABASE_URL: databaseUrl }) };
}

/** Entry is a function binary to run and the directory it runs in. */
interface Entry {
  script: string;
  cwd: string;
}

type Packaging = typeof PackagingModule;

const NOOP_ENTRY = join('test', 'support', 'noop-main.mjs');

/** builtEntries are a checkout's compiled functions and no-op, run from the checkout. */
function builtEntries(checkout: string): Record<Step | 'noop', Entry> {
  const at = (script: string): Entry => ({ script: join(checkout, script), cwd: checkout });
  return { ...(Object.fromEntries(STEPS.map((s) => [s, at(join('functions', s, 'dist', 'main.js'))])) as Record<Step, Entry>), noop: at(NOOP_ENTRY) };
}

/**
 * bundledEntries bundles a checkout's compiled functions and no-op under
 * `out` as that checkout's own packages/packaging lays out an image's /app
 * (a baseline's images leave out what its own code needs left out). They run
 * from the checkout, whose example repository the bench claim names by a
 * relative path; the bundles find their own files beside themselves.
 */
async function bundledEntries(checkout: string, out: string): Promise<Record<Step | 'noop', Entry>> {
  const packaging = pathToFileURL(join(checkout, 'packages', 'packaging', 'dist', 'index.js')).href;
  const { bundleFunction, functionEntry } = (await import(packaging)) as Packaging;
  const bundle = async (entry: string, dir: string): Promise<Entry> => {
    const b = await bundleFunction({ repo: checkout, entry, outRoot: join(out, dir) });
    return { script: join(b.root, b.entry), cwd: checkout };
  };
  const entries = {} as Record<Step | 'noop', Entry>;
  for (const s of STEPS) entries[s] = await bundle(functionEntry(s), s);
  entries.noop = await bundle(NOOP_ENTRY, 'noop');
  return entries;
}

async function startTarget(name: string, entry: (s: Step) => Entry, env: (s: Step) => NodeJS.ProcessEnv, nodeArgs: string[]): Promise<Target> {
  const processes = {} as Record<Step, FunctionProcess>;
  for (const step of STEPS) processes[step] = await startFunctionProcess(`${name} ${step}`, entry(step).script, env(step), { cwd: entry(step).cwd, nodeArgs });
  const clients = Object.fromEntries(STEPS.map((s) => [s, new RawClient(processes[s].address)])) as Record<Step, RawClient>;
  return { name, processes, clients };
}

/** IDLE_SETTLE_MS is how long the functions rest before their idle resident sets are read (after start, and after the load). */
const IDLE_SETTLE_MS = 2000;

/** rssOf reads every target's functions' resident sets, in MiB. */
function rssOf(targets: Target[]): Record<string, Record<Step, number>> {
  return Object.fromEntries(targets.map((t) => [t.name, Object.fromEntries(STEPS.map((s) => [s, Math.round(memoryMiB(t.processes[s].pid).rss)]))])) as Record<string, Record<Step, number>>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function stopTarget(t: Target | undefined): Promise<void> {
  if (t === undefined) return;
  for (const s of STEPS) t.clients[s].close();
  await Promise.all(STEPS.map((s) => t.processes[s].stop()));
}

/**
 * checkResponses refuses a steady request set that any SCIA step answers with
 * a Fatal result, or that two codecs answer differently.
 */
async function checkResponses(targets: Target[], requests: Record<Step, Buffer>): Promise<void> {
  for (const step of STEPS) {
    const answers = await Promise.all(targets.map(async (t) => RunFunctionResponse.decode(await t.clients[step].run(requests[step]))));
    const fatal = answers[0]?.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
    if (fatal !== undefined) throw new Error(`cannot bench: ${step} answers the steady request with a Fatal result: ${fatal.message}`);
    const other = answers.findIndex((a) => !isDeepStrictEqual(a, answers[0]));
    if (other > 0) throw new Error(`cannot bench: ${step} answers differently with ${targets[other]?.name} than with ${targets[0]?.name}`);
  }
}

/**
 * runPipelineBench serves SCIA's five functions and five no-op functions as
 * separate processes on loopback, reconciles the auto-decision claim until
 * steady, and then runs whole five-step pipeline runs with those steady
 * requests against both sets, interleaved: for each repetition, each
 * concurrency, SCIA then no-op (reversed every other repetition).
 */
export async function runPipelineBench(opts: PipelineOptions): Promise<PipelineReport> {
  const say = opts.progress ?? (() => undefined);
  const db = await benchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-bench-pipeline-'));
  const started: Target[] = [];
  try {
    const url = typeof db === 'string' ? undefined : db.url;
    if (typeof db === 'string') say(`${db}; the store steps share nothing (PGlite per process)`);
    const profile = opts.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir];
    const scias: Target[] = [];
    const checkouts = [{ root, suffix: '' }, ...(opts.baseline === undefined ? [] : [{ root: resolve(opts.baseline), suffix: '@base' }])];
    const entries: Record<Step | 'noop', Entry>[] = [];
    for (const [c, checkout] of checkouts.entries()) {
      if (opts.bundled === true) say(`bundling the functions of ${checkout.root} as the images do`);
      entries.push(opts.bundled === true ? await bundledEntries(checkout.root, join(dataDir, 'bundles', String(c))) : builtEntries(checkout.root));
    }
    for (const codec of opts.codecs) {
      for (const transport of opts.transports) {
        for (const [v, variant] of (opts.nodeFlags ?? [IMAGE_NODE_FLAGS]).map(parseVariant).entries()) {
          for (const [c, checkout] of checkouts.entries()) {
            if (!(await servesTransport(checkout.root, transport))) {
              say(`the baseline at ${checkout.root} has no ${transport} transport: ${transport} is served by this checkout only`);
              continue;
            }
            say(`starting the functions${checkout.suffix === '' ? '' : ` of ${checkout.root}`} (${codec} codec, ${transport} transport, node ${variant.label === '' ? 'defaults' : variant.label})`);
            const args = [...profile, ...variant.args];
            const dir = (s: Step): string => (url === undefined ? join(dataDir, `${codec}-${transport}-${v}-${c}-${s}`) : dataDir);
            const name = (kind: 'scia' | 'no-op'): string => `${targetName(kind, codec, transport, variant.label)}${checkout.suffix}`;
            const scia = await startTarget(name('scia'), (s) => entries[c]?.[s] as Entry, (s) => ({ ...stepEnv(url, dir(s), codec, transport), ...variant.env }), args);
            started.push(scia);
            scias.push(scia);
            started.push(await startTarget(name('no-op'), () => entries[c]?.noop as Entry, () => ({ ...stepEnv(undefined, dataDir, codec, transport), ...variant.env }), args));
          }
        }
      }
    }
    const first = scias[0] as Target;
    await sleep(IDLE_SETTLE_MS);
    const idle = rssOf(started);
    say('reconciling the claim until steady');
    const steady = await reachSteady(Object.fromEntries(STEPS.map((s) => [s, first.processes[s].address])) as Record<Step, string>);
    const fixed = Object.fromEntries(STEPS.map((s) => [s, Buffer.from(steady.requests[s])])) as Record<Step, Buffer>;
    await checkResponses(scias, fixed);
    const shufflePool = opts.shufflePool ?? SHUFFLE_POOL;
    if (opts.wireOrder === 'shuffled' && shufflePool > 0) say(`shuffling ${shufflePool} encodings of each step's request`);
    const requests = Object.fromEntries(STEPS.map((s) => {
      if (opts.wireOrder === 'fixed') return [s, () => fixed[s]];
      const shuffler = shufflePool === 0 ? new WireShuffler(fixed[s]) : new ShuffledPool(fixed[s], shufflePool);
      return [s, () => shuffler.next()];
    })) as Requests;
    const windows: Window[] = [];
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const c of opts.concurrency) {
        const order = rep % 2 === 0 ? started : [...started].reverse();
        for (const t of order) {
          const w = await measureWindow(t, requests, c, opts.seconds, opts.warmupMs);
          say(`rep ${rep + 1}/${opts.reps} ${t.name} c=${c}: ${w.runsPerSec} runs/s, ${w.cpuMsPerRun.total} ms CPU/run`);
          windows.push(w);
        }
      }
    }
    await sleep(IDLE_SETTLE_MS);
    const afterLoad = rssOf(started);
    return summarize({
      database: typeof db === 'string' ? 'PGlite per process' : db.source,
      requestBytes: Object.fromEntries(STEPS.map((s) => [s, fixed[s].length])) as Record<Step, number>, wireOrder: opts.wireOrder, shufflePool: opts.wireOrder === 'shuffled' ? shufflePool : 0,
      bundled: opts.bundled === true, composed: steady.composed, reconciles: steady.reconciles, idleRssMiB: idle, afterLoadRssMiB: afterLoad, windows, opts,
    });
  } finally {
    for (const t of started) await stopTarget(t);
    if (typeof db !== 'string') db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '1,8,32' }, seconds: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1000' },
      reps: { type: 'string', default: '3' }, 'cpu-prof-dir': { type: 'string' }, json: { type: 'boolean', default: false },
      codecs: { type: 'string', default: 'lazy' }, transports: { type: 'string', default: TRANSPORTS.join(',') }, 'semi-space-mib': { type: 'string' }, 'node-flags': { type: 'string' }, bundled: { type: 'boolean', default: false }, baseline: { type: 'string', default: process.env['SCIA_BENCH_BASELINE'] ?? '' }, 'wire-order': { type: 'string', default: 'shuffled' }, 'shuffle-pool': { type: 'string', default: String(SHUFFLE_POOL) },
    },
  });
  const report = await runPipelineBench({
    concurrency: values.concurrency.split(',').map(Number), seconds: Number(values.seconds), warmupMs: Number(values.warmup), reps: Number(values.reps),
    codecs: parseCodecs(values.codecs), transports: parseTransports(values.transports), nodeFlags: parseNodeFlags(values['node-flags'], values['semi-space-mib']), wireOrder: parseWireOrder(values['wire-order']), shufflePool: parseShufflePool(values['shuffle-pool']),
    ...(values['cpu-prof-dir'] === undefined ? {} : { cpuProfDir: values['cpu-prof-dir'] }),
    ...(values.baseline === '' ? {} : { baseline: values.baseline }),
    bundled: values.bundled,
    progress: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${report.text}\n`);
}

function parseCodecs(text: string): WireCodec[] {
  const codecs = text.split(',').map((c) => WIRE_CODECS.find((k) => k === c.trim()));
  if (codecs.length === 0 || codecs.includes(undefined)) throw new Error(`cannot bench: --codecs takes a list of ${WIRE_CODECS.join(', ')}, not ${JSON.stringify(text)}`);
  return codecs as WireCodec[];
}

function parseTransports(text: string): Transport[] {
  const transports = text.split(',').map((t) => TRANSPORTS.find((k) => k === t.trim()));
  if (transports.length === 0 || transports.includes(undefined)) throw new Error(`cannot bench: --transports takes a list of ${TRANSPORTS.join(', ')}, not ${JSON.stringify(text)}`);
  return transports as Transport[];
}

/**
 * parseNodeFlags reads --node-flags (variants separated by `;`) and
 * --semi-space-mib (a list of MiB, 0 for node's default; each a variant with
 * --max-semi-space-size), both together when both are given; the images'
 * flags when neither is.
 */
function parseNodeFlags(flags: string | undefined, semiSpace: string | undefined): string[] {
  const variants = flags === undefined ? [] : flags.split(';').map((v) => v.trim());
  if (semiSpace !== undefined) {
    const sizes = semiSpace.split(',').map(Number);
    if (sizes.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`cannot bench: --semi-space-mib takes a list of MiB (0 for node's default), not ${JSON.stringify(semiSpace)}`);
    variants.push(...sizes.map((n) => (n === 0 ? '' : `--max-semi-space-size=${n}`)));
  }
  for (const v of variants) parseVariant(v);
  return variants.length === 0 ? [IMAGE_NODE_FLAGS] : variants;
}

function parseShufflePool(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n === 1) throw new Error(`cannot bench: --shuffle-pool takes 0 (shuffle every call afresh) or a count of 2 or more, not ${JSON.stringify(text)}`);
  return n;
}

function parseWireOrder(text: string): 'shuffled' | 'fixed' {
  if (text === 'shuffled' || text === 'fixed') return text;
  throw new Error(`cannot bench: --wire-order takes shuffled or fixed, not ${JSON.stringify(text)}`);
}

if (process.argv[1] === import.meta.filename) await main();
