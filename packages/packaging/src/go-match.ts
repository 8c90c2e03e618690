/**
 * goMatch reports whether `name` matches the shell pattern `pattern` as Go's
 * `path/filepath.Match` decides on a `/`-separated system: `*` is any run of
 * characters but `/`, `?` one character but `/`, `[a-z]` and `[^a-z]` classes,
 * `\` escapes. The whole name must match, so `node_modules/*` never reaches a
 * file two directories down. A malformed pattern is an error, as in Go.
 */
export function goMatch(pattern: string, name: string): { ok: true; value: boolean } | { ok: false; error: string } {
  const re = toRegExp(pattern);
  return re.ok ? { ok: true, value: re.value.test(name) } : re;
}

function toRegExp(pattern: string): { ok: true; value: RegExp } | { ok: false; error: string } {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) return bad(pattern);
      out += escape(next);
    } else if (c === '[') {
      const end = classEnd(pattern, i + 1);
      if (end === -1) return bad(pattern);
      out += classOf(pattern.slice(i + 1, end));
      i = end;
    } else out += escape(c);
  }
  return { ok: true, value: new RegExp(`^${out}$`, 's') };
}

function classEnd(pattern: string, from: number): number {
  let i = from;
  if (pattern[i] === '^') i++;
  const first = i;
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === ']' && i > first) return i;
    else if (c === ']') return -1; // Go: a class must not be empty
  }
  return -1;
}

function classOf(body: string): string {
  const negated = body.startsWith('^');
  let out = '';
  for (let i = negated ? 1 : 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === '\\') out += escape(body[++i] ?? '');
    else if (c === '-') out += '-';
    else out += escape(c);
  }
  return `[${negated ? '^' : ''}${out}]`;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function bad(pattern: string): { ok: false; error: string } {
  return { ok: false, error: `cannot use pattern ${JSON.stringify(pattern)}: syntax error in pattern` };
}
