import { isObject } from '@scia/api';
import { ev, lineIndex, type Ctx } from '../context.js';
import { depsFromLines, depsFromRecord, uniqueDeps } from './deps.js';
import { dotVersion } from './node.js';
import { rule, type Dep, type Detection, type Detector } from './types.js';

const py = 'python';
const uvicorn = 'uvicorn {module}:app --host 0.0.0.0 --port {port}';

/** python detects Python apps from requirements files, pyproject.toml, Pipfile and setup.py. */
export const python: Detector = {
  family: 'python',
  languages: [{ name: py, title: 'Python' }],
  extensions: ['.py'],
  frameworks: [
    rule({ name: 'django', title: 'Django', language: py, kind: 'server', deps: ['django'], port: 8000, start: ['{gunicorn} {django}.wsgi --bind 0.0.0.0:{port}', 'python manage.py runserver 0.0.0.0:{port}'], build: 'python manage.py collectstatic --noinput', rank: 80 }),
    rule({ name: 'fastapi', title: 'FastAPI', language: py, kind: 'server', deps: ['fastapi'], port: 8000, start: uvicorn, rank: 75 }),
    rule({ name: 'litestar', title: 'Litestar', language: py, kind: 'server', deps: ['litestar'], port: 8000, start: uvicorn, rank: 74 }),
    rule({ name: 'dash', title: 'Dash', language: py, kind: 'server', deps: ['dash'], port: 8050, start: 'python {file}', rank: 72 }),
    rule({ name: 'streamlit', title: 'Streamlit', language: py, kind: 'server', deps: ['streamlit'], port: 8501, start: 'streamlit run {file} --server.port {port} --server.address 0.0.0.0', rank: 72 }),
    rule({ name: 'gradio', title: 'Gradio', language: py, kind: 'server', deps: ['gradio'], port: 7860, start: 'python {file}', rank: 72 }),
    rule({ name: 'quart', title: 'Quart', language: py, kind: 'server', deps: ['quart'], port: 5000, start: 'hypercorn {module}:app --bind 0.0.0.0:{port}', rank: 66 }),
    rule({ name: 'sanic', title: 'Sanic', language: py, kind: 'server', deps: ['sanic'], port: 8000, start: 'sanic {module}:app --host 0.0.0.0 --port {port}', rank: 65 }),
    rule({ name: 'flask', title: 'Flask', language: py, kind: 'server', deps: ['flask'], port: 5000, start: ['{gunicorn} {module}:app --bind 0.0.0.0:{port}', 'flask --app {module} run --host 0.0.0.0 --port {port}'], rank: 64 }),
    rule({ name: 'starlette', title: 'Starlette', language: py, kind: 'server', deps: ['starlette'], port: 8000, start: uvicorn, rank: 62 }),
    rule({ name: 'pyramid', title: 'Pyramid', language: py, kind: 'server', deps: ['pyramid'], port: 6543, start: 'python {file}', rank: 60 }),
    rule({ name: 'falcon', title: 'Falcon', language: py, kind: 'server', deps: ['falcon'], port: 8000, start: ['{gunicorn} {module}:app --bind 0.0.0.0:{port}', 'python {file}'], rank: 60 }),
    rule({ name: 'tornado', title: 'Tornado', language: py, kind: 'server', deps: ['tornado'], port: 8888, start: 'python {file}', rank: 58 }),
    rule({ name: 'aiohttp', title: 'aiohttp', language: py, kind: 'server', deps: ['aiohttp'], port: 8080, start: 'python {file}', rank: 55 }),
    rule({ name: 'bottle', title: 'Bottle', language: py, kind: 'server', deps: ['bottle'], port: 8080, start: 'python {file}', rank: 55 }),
    rule({ name: 'mkdocs', title: 'MkDocs', language: py, kind: 'static', deps: ['mkdocs'], files: [/^mkdocs\.ya?ml$/], build: 'mkdocs build', rank: 85 }),
    rule({ name: 'celery', title: 'Celery (worker)', language: py, kind: 'worker', deps: ['celery'], start: 'celery -A {module} worker', rank: 10 }),
  ],
  detect,
};

const MANIFESTS = ['requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg', 'mkdocs.yml'];

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const found = MANIFESTS.filter((m) => ctx.has(m));
  if (found.length === 0) return undefined;
  const dependencies = uniqueDeps([...(await requirements(ctx)), ...(await pyproject(ctx)), ...(await pipfile(ctx))]);
  const version = (await dotVersion(ctx, '.python-version')) ?? (await runtimeTxt(ctx));
  const entry = entryFile(ctx);
  const django = ctx.glob(/^[^/]+\/wsgi\.py$/)[0]?.split('/')[0];
  const vars: Record<string, string> = {};
  if (entry !== undefined) Object.assign(vars, { file: entry, module: entry.replace(/\.py$/, '').replace(/\//g, '.') });
  if (django !== undefined) vars['django'] = django;
  if (dependencies.some((d) => d.name === 'gunicorn')) vars['gunicorn'] = 'gunicorn';
  return {
    language: py,
    ...(version === undefined ? {} : { version }),
    evidence: found.slice(0, 3).map((m) => ev(m)),
    packageManager: ctx.has('uv.lock') ? 'uv' : ctx.has('poetry.lock') ? 'poetry' : ctx.has('Pipfile') ? 'pipenv' : 'pip',
    dependencies,
    vars,
    weight: 10,
  };
}

/** normalize folds a Python distribution name the way pip does (Flask-SQLAlchemy == flask_sqlalchemy). */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

async function requirements(ctx: Ctx): Promise<Dep[]> {
  const files = ctx.glob(/^requirements([-_.][\w-]+)?\.(txt|in)$|^requirements\/[\w-]+\.(txt|in)$/);
  const out: Dep[] = [];
  for (const manifest of files) {
    // Options (-r, -e), URLs and VCS requirements name no distribution: blank them, keeping line numbers.
    const text = ((await ctx.text(manifest)) ?? '').split('\n').map((l) => (/^\s*-|:\/\//.test(l) ? '' : l)).join('\n');
    const pattern = /^\s*(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[=~<>!]=?\s*(?<version>[\w.*+-]+))?/;
    const dev = /dev|test/.test(manifest);
    out.push(...depsFromLines(text, pattern, { manifest, ecosystem: 'pypi', dev }).map((d) => ({ ...d, name: normalize(d.name) })));
  }
  return out;
}

async function pyproject(ctx: Ctx): Promise<Dep[]> {
  const doc = ctx.has('pyproject.toml') ? await ctx.toml('pyproject.toml') : undefined;
  if (!isObject(doc)) return [];
  const text = (await ctx.text('pyproject.toml')) ?? '';
  const project = isObject(doc['project']) ? doc['project'] : {};
  const list = Array.isArray(project['dependencies']) ? project['dependencies'] : [];
  const out: Dep[] = [];
  const lineOfName = lineIndex(text);
  for (const spec of list) {
    const m = typeof spec === 'string' ? /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[=~<>!]=?\s*([\w.*+-]+))?/.exec(spec) : null;
    if (m?.[1] === undefined) continue;
    const line = lineOfName(m[1]);
    out.push({ name: normalize(m[1]), ecosystem: 'pypi', manifest: 'pyproject.toml', dev: false, ...(m[2] === undefined ? {} : { version: m[2] }), ...(line === undefined ? {} : { line }) });
  }
  const tool = isObject(doc['tool']) ? doc['tool'] : {};
  const poetry = isObject(tool['poetry']) ? tool['poetry'] : {};
  const poetryDeps = depsFromRecord(poetry['dependencies'], { manifest: 'pyproject.toml', text, ecosystem: 'pypi', dev: false });
  return [...out, ...poetryDeps.filter((d) => d.name !== 'python').map((d) => ({ ...d, name: normalize(d.name) }))];
}

async function pipfile(ctx: Ctx): Promise<Dep[]> {
  const doc = ctx.has('Pipfile') ? await ctx.toml('Pipfile') : undefined;
  if (!isObject(doc)) return [];
  const text = (await ctx.text('Pipfile')) ?? '';
  const opts = { manifest: 'Pipfile', text, ecosystem: 'pypi' };
  return [...depsFromRecord(doc['packages'], { ...opts, dev: false }), ...depsFromRecord(doc['dev-packages'], { ...opts, dev: true })].map((d) => ({ ...d, name: normalize(d.name) }));
}

async function runtimeTxt(ctx: Ctx): Promise<string | undefined> {
  const v = await dotVersion(ctx, 'runtime.txt');
  return v === undefined ? undefined : v.replace(/^python-/, '');
}

function entryFile(ctx: Ctx): string | undefined {
  const candidates = ['app.py', 'main.py', 'wsgi.py', 'server.py', 'application.py', 'streamlit_app.py', 'app/main.py', 'src/main.py', 'api/main.py'];
  return candidates.find((c) => ctx.has(c));
}
