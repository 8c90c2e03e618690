import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';
import type { Result } from '@scia/api';
import { flagError, switchesWithValues } from '@scia/runtime';

/** FlagKind: a switch, a flag with one value (last wins), a repeatable `key=value` flag, or a repeatable flag kept in order. */
export type FlagKind = 'bool' | 'string' | 'pairs' | 'list';

/** FlagSpec describes a command's flags by long name. */
export type FlagSpec = Readonly<Record<string, { kind: FlagKind; short?: string }>>;

export interface ParsedArgs {
  positionals: string[];
  bools: Set<string>;
  strings: Map<string, string>;
  pairs: Map<string, Record<string, string>>;
  lists: Map<string, string[]>;
}

/**
 * parseArgs reads GNU-style arguments with node's util.parseArgs, the one
 * parser of every SCIA command and function: `--flag value`, `--flag=value`,
 * `-f value`, `-f=value`, clustered switches (`-rc`), `--switch=false`, and
 * `--` before positionals that start with a dash. An unknown flag is an error.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec): Result<ParsedArgs> {
  const switches = Object.entries(spec).filter(([, f]) => f.kind === 'bool').map(([name]) => name);
  const args = switchesWithValues(shortWithEquals(argv, spec), switches);
  if (!args.ok) return args;
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, f] of Object.entries(spec)) {
    options[name] = {
      type: f.kind === 'bool' ? 'boolean' : 'string',
      ...(f.kind === 'pairs' || f.kind === 'list' ? { multiple: true } : {}),
      ...(f.short === undefined ? {} : { short: f.short }),
    };
  }
  let parsed;
  try {
    parsed = parseNodeArgs({ args: args.value, options, strict: true, allowPositionals: true });
  } catch (err) {
    return { ok: false, error: flagError(err) };
  }
  const out: ParsedArgs = { positionals: parsed.positionals, bools: new Set(), strings: new Map(), pairs: new Map(), lists: new Map() };
  for (const [name, value] of Object.entries(parsed.values)) {
    const kind = spec[name]?.kind;
    if (kind === 'bool' && value === true) out.bools.add(name);
    else if (kind === 'string' && typeof value === 'string') out.strings.set(name, value);
    else if (kind === 'list' && Array.isArray(value)) out.lists.set(name, value.map(String));
    else if (kind === 'pairs' && Array.isArray(value)) {
      const pairs: Record<string, string> = {};
      for (const item of value.map(String)) {
        const at = item.indexOf('=');
        if (at <= 0) return { ok: false, error: `flag --${name} takes KEY=VALUE, not ${JSON.stringify(item)}` };
        pairs[item.slice(0, at)] = item.slice(at + 1);
      }
      out.pairs.set(name, pairs);
    }
  }
  return { ok: true, value: out };
}

/** shortWithEquals splits `-o=value` into `-o value` for a short flag that takes a value. */
function shortWithEquals(argv: readonly string[], spec: FlagSpec): string[] {
  const valued = new Set(Object.values(spec).filter((f) => f.kind !== 'bool' && f.short !== undefined).map((f) => f.short));
  const out: string[] = [];
  for (const [i, arg] of argv.entries()) {
    if (argv.slice(0, i).includes('--')) {
      out.push(arg);
      continue;
    }
    const m = /^-([A-Za-z])=(.*)$/s.exec(arg);
    if (m !== null && valued.has(m[1])) out.push(`-${m[1]}`, m[2] ?? '');
    else out.push(arg);
  }
  return out;
}
