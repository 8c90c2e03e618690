import { describe, expect, it } from 'vitest';
import { errorText, redact } from '@scia/api';

const cases: Record<string, { reason: string; in: string; want: string }> = {
  'url-userinfo': { reason: 'a password in an Ollama URL', in: 'cannot ask model qwen at http://user:PASSWORD@10.0.0.5:11434: fetch failed', want: 'cannot ask model qwen at http://user:***@10.0.0.5:11434: fetch failed' },
  'url-token-user': { reason: 'a token as the URL user', in: 'cannot fetch https://ghx0tok3n@github.com/acme/app', want: 'cannot fetch https://***@github.com/acme/app' },
  'url-at-in-password': { reason: 'an unescaped @ in the password', in: 'postgres://app:p@ss@db.internal:5432/scia is down', want: 'postgres://app:***@db.internal:5432/scia is down' },
  'url-no-userinfo': { reason: 'a URL without credentials is kept', in: 'cannot reach https://github.com/acme/app?ref=main#x', want: 'cannot reach https://github.com/acme/app?ref=main#x' },
  'url-at-in-path': { reason: 'an @ in the path is no userinfo', in: 'https://registry.example/@scope/pkg@1.0.0', want: 'https://registry.example/@scope/pkg@1.0.0' },
  'query-token': { reason: 'a token query parameter', in: 'GET https://api.example/v1?access_token=abc123&page=2', want: 'GET https://api.example/v1?access_token=***&page=2' },
  'query-password': { reason: 'a password in a database URL query', in: 'postgresql://db/scia?user=app&password=hunter2&sslmode=require', want: 'postgresql://db/scia?user=app&password=***&sslmode=require' },
  'aws-signature': { reason: 'a presigned URL signature', in: 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AK%2F1&X-Amz-Signature=deadbeef', want: 'https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***' },
  conninfo: { reason: 'libpq key=value conninfo', in: 'cannot connect with host=db port=5432 user=app password=hunter2 dbname=scia', want: 'cannot connect with host=db port=5432 user=app password=*** dbname=scia' },
  'conninfo-quoted': { reason: 'a quoted conninfo value with spaces', in: "password='two words' host=db", want: 'password=*** host=db' },
  'env-list': { reason: 'env-style assignments', in: 'OLLAMA_API_KEY=sk-123,DB_PASSWORD=x', want: 'OLLAMA_API_KEY=***,DB_PASSWORD=***' },
  'json-member': { reason: 'JSON members named like secrets', in: '{"user":"app","password":"hunter2","apiKey":"k-1","token":"a\\"b"}', want: '{"user":"app","password":"***","apiKey":"***","token":"***"}' },
  'auth-header': { reason: 'an Authorization header', in: 'sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', want: 'sent Authorization: Bearer ***' },
  'auth-header-json': { reason: 'an authorization header in a JSON log line', in: '{"headers":{"authorization":"Basic dXNlcjpwYXNz"}}', want: '{"headers":{"authorization":"***"}}' },
  'bearer-alone': { reason: 'a bearer credential without its header', in: 'retrying with bearer abcdefgh12345678', want: 'retrying with bearer ***' },
  'basic-prose': { reason: 'prose about Basic auth is kept', in: 'sent as HTTP Basic auth', want: 'sent as HTTP Basic auth' },
  'password-prose': { reason: 'a message about a password is kept', in: 'password authentication failed for user "app"', want: 'password authentication failed for user "app"' },
  'github-token': { reason: 'a GitHub token anywhere', in: 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789 rejected', want: 'token *** rejected' },
  'aws-key-id': { reason: 'an AWS access key id', in: 'key AKIAIOSFODNN7EXAMPLE is not allowed', want: 'key *** is not allowed' },
  multiline: { reason: 'every line of a multi-line text', in: 'a=1 password=x\nhttps://u:p@h/\ntoken=y', want: 'a=1 password=***\nhttps://u:***@h/\ntoken=***' },
  'json-escapes': { reason: 'a JSON-escaped line stays valid JSON', in: '{"msg":"GET /x?token=abc\\n  at y","q":"password=p\\"q"}', want: '{"msg":"GET /x?token=***\\n  at y","q":"password=***\\"q"}' },
  plain: { reason: 'a message with no secret is unchanged', in: 'cannot decide: budget 200 exceeded by vm (230 USD/month)', want: 'cannot decide: budget 200 exceeded by vm (230 USD/month)' },
};

describe('redact', () => {
  it.each(Object.entries(cases))('%s', (_name, c) => {
    expect(redact(c.in), c.reason).toBe(c.want);
  });

  it.each(Object.entries(cases))('%s is idempotent', (_name, c) => {
    expect(redact(redact(c.in)), c.reason).toBe(c.want);
  });

  it('redacts the text of an error and its cause (errorText)', () => {
    const err = new Error('cannot query the store', { cause: new Error('connect ECONNREFUSED postgres://app:hunter2@db:5432/scia') });
    expect([errorText(err), errorText('token=abc')]).toEqual(['cannot query the store: connect ECONNREFUSED postgres://app:***@db:5432/scia', 'token=***']);
  });
});
