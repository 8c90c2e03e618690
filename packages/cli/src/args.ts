import type { Result } from '@scia/api';
/** FlagKind: a switch, a flag with one value (last wins), or a repeatable `key=value` flag. */
export type FlagKind = 'bool' | 'string' | 'pairs';

/** FlagSpec describes a command's flags by long name. */
export type FlagSpec = Readonly<Record<string, { kind: FlagKind; short?: string; aliases?: readonly string[] }>>;

export interface ParsedArgs {
  positionals: string[];
  bools: Set<string>;
  strings: Map<string, string>;
  pairs: Map<string, Record<string, string>>;
}


/**
 * parseArgs reads GNU-style arguments: `--flag value`, `--flag=value`,
 * `-f value`, `-f=value`, clustered switches (`-rc`), `--switch=false`, and
 * `--` before positionals that start with a dash. An unknown flag is an error.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec): Result<ParsedArgs> {
  const byName = new Map<string, string>();
  for (const [long, f] of Object.entries(spec)) {
    byName.set(`--${long}`, long);
    if (f.short !== undefined) byName.set(`-${f.short}`, long);
    for (const a of f.aliases ?? []) byName.set(`--${a}`, long);
  }
  const out: ParsedArgs = { positionals: [], bools: new Set(), strings: new Map(), pairs: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const long = byName.get(flag);
    if (long === undefined) {
      const cluster = expandCluster(flag, inline, spec);
      if (cluster === undefined) return { ok: false, error: `unknown flag ${flag}` };
      for (const b of cluster) out.bools.add(b);
      continue;
    }
    const kind = spec[long]?.kind ?? 'bool';
    const value = kind === 'bool' ? inline : (inline ?? argv[++i]);
    const error = applyFlag(out, long, kind, flag, value);
    if (error !== undefined) return { ok: false, error };
  }
  return { ok: true, value: out };
}

/** applyFlag records one flag's value, or returns why it cannot. */
function applyFlag(out: ParsedArgs, long: string, kind: FlagKind, flag: string, value: string | undefined): string | undefined {
  if (kind === 'bool') {
    if (value !== undefined && value !== 'true' && value !== 'false') return `flag ${flag} takes true or false, not ${JSON.stringify(value)}`;
    if (value === 'false') out.bools.delete(long);
    else out.bools.add(long);
    return undefined;
  }
  if (value === undefined) return `flag ${flag} needs a value`;
  if (kind === 'string') {
    out.strings.set(long, value);
    return undefined;
  }
  const at = value.indexOf('=');
  if (at <= 0) return `flag ${flag} takes KEY=VALUE, not ${JSON.stringify(value)}`;
  out.pairs.set(long, { ...(out.pairs.get(long) ?? {}), [value.slice(0, at)]: value.slice(at + 1) });
  return undefined;
}

/** expandCluster reads `-rcx` as the switches -r, -c and -x, or returns undefined. */
function expandCluster(flag: string, inline: string | undefined, spec: FlagSpec): string[] | undefined {
  if (inline !== undefined || flag.startsWith('--') || flag.length < 3) return undefined;
  const out: string[] = [];
  for (const ch of flag.slice(1)) {
    const entry = Object.entries(spec).find(([, f]) => f.short === ch && f.kind === 'bool');
    if (entry === undefined) return undefined;
    out.push(entry[0]);
  }
  return out;
}
