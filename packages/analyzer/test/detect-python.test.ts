import { describe, expect, it } from 'vitest';
import { analyzeFiles, facts, lines, type Case } from './fixtures/repos.js';

const cases: Record<string, Case> = {
  flask: {
    reason: 'Flask with gunicorn: the conventional command binds the port found in code',
    files: { 'requirements.txt': lines('Flask==3.0.3', 'gunicorn==22.0.0', 'psycopg2-binary==2.9.9'), 'app.py': lines('app = Flask(__name__)', 'app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 8080)))') },
    want: { language: 'python', framework: 'flask', kind: 'server', port: 8080, startCommand: 'gunicorn app:app --bind 0.0.0.0:8080', services: ['postgresql'] },
  },
  'flask-no-gunicorn': {
    reason: 'Flask without gunicorn falls back to flask run on its default port',
    files: { 'requirements.txt': lines('-r base.txt', 'git+https://github.com/acme/lib.git#egg=lib', 'flask  # web'), 'main.py': lines('app = Flask(__name__)') },
    want: { language: 'python', framework: 'flask', kind: 'server', port: 5000, startCommand: 'flask --app main run --host 0.0.0.0 --port 5000', services: [] },
  },
  django: {
    reason: 'Django with gunicorn, Postgres via dj-database-url and Redis from the env example',
    files: { 'requirements.txt': lines('Django>=5.0', 'gunicorn', 'dj-database-url'), 'manage.py': '', 'mysite/wsgi.py': '', 'mysite/settings.py': '', '.env.example': lines('REDIS_URL=redis://localhost:6379/0') },
    want: { language: 'python', framework: 'django', kind: 'server', port: 8000, startCommand: 'gunicorn mysite.wsgi --bind 0.0.0.0:8000', services: ['postgresql', 'redis'] },
  },
  'django-procfile': {
    reason: 'a Procfile web process wins over the convention',
    files: { 'requirements.txt': lines('django'), 'Procfile': lines('web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT --workers 3', 'worker: celery -A shop worker'), 'shop/wsgi.py': '' },
    want: { language: 'python', framework: 'django', kind: 'server', port: 8000, startCommand: 'gunicorn shop.wsgi --bind 0.0.0.0:$PORT --workers 3', services: [] },
  },
  fastapi: {
    reason: 'FastAPI from pyproject.toml (PEP 621) with MongoDB',
    files: { 'pyproject.toml': lines('[project]', 'name = "api"', 'requires-python = ">=3.11"', 'dependencies = ["fastapi>=0.110", "uvicorn[standard]", "motor"]'), 'app/main.py': lines('app = FastAPI()') },
    want: { language: 'python', framework: 'fastapi', kind: 'server', port: 8000, startCommand: 'uvicorn app.main:app --host 0.0.0.0 --port 8000', services: ['mongodb'] },
  },
  'fastapi-poetry': {
    reason: 'FastAPI from Poetry with a Dockerfile EXPOSE',
    files: { 'pyproject.toml': lines('[tool.poetry.dependencies]', 'python = "^3.12"', 'fastapi = "^0.110"', 'asyncpg = "^0.29"'), 'poetry.lock': '', 'main.py': '', Dockerfile: lines('FROM python:3.12-slim', 'EXPOSE 8001', 'CMD ["uvicorn", "main:app", "--port", "8001"]') },
    want: { language: 'python', framework: 'fastapi', kind: 'server', port: 8001, startCommand: 'uvicorn main:app --host 0.0.0.0 --port 8001', services: ['postgresql'] },
  },
  starlette: {
    reason: 'Starlette alone',
    files: { 'requirements.txt': lines('starlette', 'uvicorn'), 'app.py': '' },
    want: { language: 'python', framework: 'starlette', kind: 'server', port: 8000, startCommand: 'uvicorn app:app --host 0.0.0.0 --port 8000', services: [] },
  },
  litestar: {
    reason: 'Litestar',
    files: { 'requirements.txt': lines('litestar[standard]'), 'app.py': '' },
    want: { language: 'python', framework: 'litestar', kind: 'server', port: 8000, startCommand: 'uvicorn app:app --host 0.0.0.0 --port 8000', services: [] },
  },
  streamlit: {
    reason: 'Streamlit with its own port',
    files: { 'requirements.txt': lines('streamlit==1.35', 'pandas'), 'streamlit_app.py': '' },
    want: { language: 'python', framework: 'streamlit', kind: 'server', port: 8501, startCommand: 'streamlit run streamlit_app.py --server.port 8501 --server.address 0.0.0.0', services: [] },
  },
  gradio: {
    reason: 'Gradio with heavy ML dependencies',
    files: { 'requirements.txt': lines('gradio', 'torch', 'transformers'), 'app.py': '' },
    want: { language: 'python', framework: 'gradio', kind: 'server', port: 7860, startCommand: 'python app.py', services: [] },
  },
  dash: {
    reason: 'Dash outranks the Flask it runs on',
    files: { 'requirements.txt': lines('dash', 'flask'), 'app.py': '' },
    want: { language: 'python', framework: 'dash', kind: 'server', port: 8050, startCommand: 'python app.py', services: [] },
  },
  quart: {
    reason: 'Quart',
    files: { 'Pipfile': lines('[packages]', 'quart = "*"', 'hypercorn = "*"'), 'app.py': '' },
    want: { language: 'python', framework: 'quart', kind: 'server', port: 5000, startCommand: 'hypercorn app:app --bind 0.0.0.0:5000', services: [] },
  },
  sanic: {
    reason: 'Sanic with its port in code',
    files: { 'requirements.txt': lines('sanic'), 'server.py': lines('app.run(host="0.0.0.0", port=8002)') },
    want: { language: 'python', framework: 'sanic', kind: 'server', port: 8002, startCommand: 'sanic server:app --host 0.0.0.0 --port 8002', services: [] },
  },
  pyramid: {
    reason: 'Pyramid',
    files: { 'requirements.txt': lines('pyramid', 'waitress'), 'app.py': '' },
    want: { language: 'python', framework: 'pyramid', kind: 'server', port: 6543, startCommand: 'python app.py', services: [] },
  },
  falcon: {
    reason: 'Falcon under gunicorn',
    files: { 'requirements.txt': lines('falcon', 'gunicorn'), 'app.py': '' },
    want: { language: 'python', framework: 'falcon', kind: 'server', port: 8000, startCommand: 'gunicorn app:app --bind 0.0.0.0:8000', services: [] },
  },
  tornado: {
    reason: 'Tornado with Elasticsearch',
    files: { 'requirements.txt': lines('tornado', 'elasticsearch'), 'app.py': '' },
    want: { language: 'python', framework: 'tornado', kind: 'server', port: 8888, startCommand: 'python app.py', services: ['elasticsearch'] },
  },
  aiohttp: {
    reason: 'aiohttp with RabbitMQ through aio-pika',
    files: { 'requirements.txt': lines('aiohttp', 'aio-pika'), 'main.py': '' },
    want: { language: 'python', framework: 'aiohttp', kind: 'server', port: 8080, startCommand: 'python main.py', services: ['rabbitmq'] },
  },
  bottle: {
    reason: 'Bottle',
    files: { 'requirements.txt': lines('bottle'), 'app.py': '' },
    want: { language: 'python', framework: 'bottle', kind: 'server', port: 8080, startCommand: 'python app.py', services: [] },
  },
  mkdocs: {
    reason: 'MkDocs is a static site',
    files: { 'requirements.txt': lines('mkdocs-material'), 'mkdocs.yml': lines('site_name: Docs') },
    want: { language: 'python', framework: 'mkdocs', kind: 'static', services: [] },
  },
  celery: {
    reason: 'a Celery worker with a Redis broker and S3 storage',
    files: { 'requirements.txt': lines('celery[redis]', 'redis', 'django-storages'), 'tasks.py': '', 'app.py': '' },
    want: { language: 'python', framework: 'celery', kind: 'worker', startCommand: 'celery -A app worker', services: ['redis', 's3'] },
  },
};

describe('Python detection', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    expect(facts(await analyzeFiles(c.files)), c.reason).toEqual(c.want);
  });
});
