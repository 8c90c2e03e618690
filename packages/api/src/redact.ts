/**
 * REDACTED replaces a secret in a message. It is plain ASCII, so a redacted
 * message still parses as a URL, a query string or JSON where the original did.
 */
export const REDACTED = '***';

/** Keys whose values are secrets, in query strings, key=value lists (libpq), JSON and headers. */
const SECRET_KEY = String.raw`[\w.-]*(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|signature|authorization|cookie)[\w.-]*`;

/** RULES are applied in order; each keeps what locates the secret and replaces only the secret. */
const RULES: readonly [RegExp, string | ((...groups: string[]) => string)][] = [
  // URL userinfo, up to the last @ of the authority: https://user:pa@ss@host -> https://user:***@host;
  // a user part alone may be a token: https://TOKEN@host -> https://***@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"<>]*(?:@[^\s/?#@'"<>]*)*)@(?=[^\s/?#@'"<>]+)/gi, (_m, scheme: string, userinfo: string) => `${scheme}${userinfo.includes(':') ? `${userinfo.slice(0, userinfo.indexOf(':'))}:` : ''}${REDACTED}@`],
  // JSON and YAML members: "password": "x", password: x.
  [new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*")(?:[^"\\]|\\.)*(")`, 'gi'), `$1${REDACTED}$2`],
  // HTTP authorization headers and schemes: Authorization: Bearer abc..., Basic dXNlcjpwYXNz.
  [/\b((?:proxy-)?authorization\s*[:=]\s*)(?:(bearer|basic|digest|token)\s+)?[^\s"',;&]+/gi, (_m, key: string, scheme?: string) => `${key}${scheme === undefined ? '' : `${scheme} `}${REDACTED}`],
  [/\b(bearer|basic|digest)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // key=value in query strings, form bodies, libpq conninfo and env-style lists: ?token=abc, password=x.
  // A value stops at a backslash, so an escape in a JSON log line is never cut in half.
  [new RegExp(String.raw`(^|[?&;,\s"'({\[])(${SECRET_KEY})(\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s&;,"'<>)}\]\\]+)`, 'gim'), `$1$2$3${REDACTED}`],
  // Well-known token shapes, wherever they appear: GitHub, GitLab, Slack, AWS access key ids.
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})\b/g, REDACTED],
];

/**
 * redact removes secrets from a message, a log line or an error text: the
 * password of every URL's userinfo (`postgres://app:hunter2@db` ->
 * `postgres://app:***@db`; a user part alone, often a token, entirely),
 * the value of every secret-named parameter or member (`password=`,
 * `?token=`, `"apiKey": "..."`), Authorization headers and Bearer/Basic
 * credentials, and well-known token shapes. Everything else is kept as is, so
 * the message still says what failed and where. It is idempotent.
 */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  return out;
}
