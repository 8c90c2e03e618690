import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { rule, type Dep, type Detection, type Detector } from './types.js';

const go = 'go';
const build = 'go build -o app .';

/** NET_HTTP is the pseudo-dependency standing for an import of the standard library's net/http. */
const NET_HTTP = 'std:net/http';

/** golang detects Go apps from go.mod, and plain net/http servers from their imports. */
export const golang: Detector = {
  family: 'go',
  languages: [{ name: go, title: 'Go' }],
  extensions: ['.go'],
  frameworks: [
    rule({ name: 'gin', title: 'Gin', language: go, kind: 'server', deps: ['github.com/gin-gonic/gin'], port: 8080, build, start: './app', rank: 60 }),
    rule({ name: 'echo', title: 'Echo', language: go, kind: 'server', deps: ['github.com/labstack/echo/v4', 'github.com/labstack/echo'], port: 1323, build, start: './app', rank: 60 }),
    rule({ name: 'fiber', title: 'Fiber', language: go, kind: 'server', deps: ['github.com/gofiber/fiber/v2', 'github.com/gofiber/fiber/v3'], port: 3000, build, start: './app', rank: 60 }),
    rule({ name: 'chi', title: 'chi', language: go, kind: 'server', deps: ['github.com/go-chi/chi/v5', 'github.com/go-chi/chi'], port: 8080, build, start: './app', rank: 55 }),
    rule({ name: 'gorilla-mux', title: 'Gorilla mux', language: go, kind: 'server', deps: ['github.com/gorilla/mux'], port: 8080, build, start: './app', rank: 55 }),
    rule({ name: 'beego', title: 'Beego', language: go, kind: 'server', deps: ['github.com/beego/beego/v2'], port: 8080, build, start: './app', rank: 58 }),
    rule({ name: 'net-http', title: 'net/http', language: go, kind: 'server', deps: [NET_HTTP], port: 8080, build, start: './app', rank: 10 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const sources = ctx.glob(/\.go$/).filter((p) => !p.endsWith('_test.go'));
  if (!ctx.has('go.mod') && sources.length === 0) return undefined;
  const text = ctx.has('go.mod') ? ((await ctx.text('go.mod')) ?? '') : '';
  const version = /^go\s+(\d+\.\d+(?:\.\d+)?)/m.exec(text)?.[1];
  const required = depsFromLines(text, /^\s*(?:require\s+)?(?<name>[a-z0-9.-]+\.[a-z]{2,}\/[^\s]+)\s+(?<version>v[^\s]+)/, { manifest: 'go.mod', ecosystem: 'go' });
  const dependencies: Dep[] = [...required.map((d) => ({ ...d, dev: false })), ...(await stdHttp(ctx, sources))];
  return {
    language: go,
    ...(version === undefined ? {} : { version }),
    evidence: [ev(ctx.has('go.mod') ? 'go.mod' : (sources[0] ?? 'main.go'))],
    packageManager: 'go',
    dependencies,
    weight: ctx.has('go.mod') ? 10 : 4,
  };
}

/** stdHttp looks for `net/http` among the imports of the first Go files (bounded, the tree can be large). */
async function stdHttp(ctx: Ctx, sources: string[]): Promise<Dep[]> {
  const ordered = [...sources.filter((s) => /(^|\/)main\.go$/.test(s)), ...sources].slice(0, 30);
  for (const file of ordered) {
    const text = (await ctx.text(file)) ?? '';
    const line = text.split('\n').findIndex((l) => /"net\/http"/.test(l));
    if (line >= 0) return [{ name: NET_HTTP, ecosystem: 'go', manifest: file, line: line + 1, dev: false }];
  }
  return [];
}
