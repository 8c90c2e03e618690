import { describe, expect, it } from 'vitest';
import type { Analysis } from '@scia/api';
import { analyzeFiles, lines, pkg } from './fixtures/repos.js';

type Picked = Pick<Analysis, 'dockerfile' | 'compose' | 'procfile' | 'ports' | 'services' | 'hints' | 'stateless' | 'commandEvidence'>;

function pick(a: Analysis): Picked {
  return { dockerfile: a.dockerfile, compose: a.compose, procfile: a.procfile, ports: a.ports, services: a.services, hints: a.hints, stateless: a.stateless, commandEvidence: a.commandEvidence };
}

describe('Dockerfile, compose and Procfile facts, with evidence', () => {
  it('reads every fact with the file and line it came from', async () => {
    const a = await analyzeFiles({
      'package.json': pkg({ express: '^4', 'socket.io': '^4', pg: '^8' }, { scripts: { start: 'node server.js', build: 'tsc' } }),
      Dockerfile: lines('# syntax=docker/dockerfile:1', 'FROM node:20 AS build', 'RUN npm ci', 'FROM build AS test', 'FROM node:20-slim', 'COPY --from=build /app /app', 'EXPOSE 8080/tcp \\', '  9090', 'VOLUME /data', 'ENTRYPOINT ["node"]', 'CMD ["server.js"]'),
      'compose.yaml': lines('services:', '  app:', '    build: .', '    ports: ["8080:8080", "127.0.0.1:9229:9229"]', '  db:', '    image: postgres:16', '  cache:', '    image: redis:7-alpine', '    ports:', '      - target: 6379', '        published: 6380'),
      Procfile: lines('web: node server.js', 'release: npm run migrate', 'worker: node worker.js'),
    });
    expect(pick(a)).toEqual({
      dockerfile: { path: 'Dockerfile', baseImage: 'node:20-slim', expose: [8080, 9090], cmd: 'server.js', entrypoint: 'node', multiStage: true, stages: 3 },
      compose: [
        { name: 'app', build: true, ports: [8080, 9229] },
        { name: 'db', image: 'postgres:16', build: false, ports: [] },
        { name: 'cache', image: 'redis:7-alpine', build: false, ports: [6379] },
      ],
      procfile: { web: 'node server.js', release: 'npm run migrate', worker: 'node worker.js' },
      ports: [
        { port: 8080, evidence: { file: 'Dockerfile', line: 7, note: 'EXPOSE' } },
        { port: 9090, evidence: { file: 'Dockerfile', line: 7, note: 'EXPOSE' } },
        { port: 9229, evidence: { file: 'compose.yaml', line: 2, note: 'compose service app' } },
        { port: 3000, evidence: { file: 'package.json', line: 9, note: 'default port of Express' } },
      ],
      services: [
        { kind: 'postgresql', evidence: [{ file: 'package.json', line: 11, note: 'dependency pg' }, { file: 'compose.yaml', line: 5, note: 'compose service db' }] },
        { kind: 'redis', evidence: [{ file: 'compose.yaml', line: 7, note: 'compose service cache' }] },
      ],
      hints: ['needs-build', 'has-dockerfile', 'has-compose', 'background-worker', 'websocket'],
      stateless: false,
      commandEvidence: { build: { file: 'package.json', line: 6, note: 'scripts.build' }, start: { file: 'Procfile', line: 1, note: 'web process' } },
    });
  });

  it('gives a Dockerfile-only repository its EXPOSE port and CMD', async () => {
    const a = await analyzeFiles({ Dockerfile: lines('FROM nginx:1.27', 'EXPOSE 80', 'CMD ["nginx", "-g", "daemon off;"]') });
    expect({ language: a.language, framework: a.framework, kind: a.kind, port: a.port, start: a.startCommand, confidence: a.confidence, warnings: a.warnings }).toEqual({
      language: 'unknown', framework: 'none', kind: 'server', port: 80, start: 'nginx -g daemon off;', confidence: 0.6, warnings: [],
    });
  });

  it('reports dependencies with versions, runtime ones first, and counts them all', async () => {
    const a = await analyzeFiles({ 'package.json': pkg({ express: '^4.19.2' }, { devDependencies: { vitest: '^1' }, engines: { node: '>=20' } }), '.nvmrc': '20' });
    expect({ deps: a.dependencies, count: a.dependencyCount, languages: a.languages, pm: a.packageManager }).toEqual({
      deps: [
        { name: 'express', version: '^4.19.2', ecosystem: 'npm', manifest: 'package.json', dev: false },
        { name: 'vitest', version: '^1', ecosystem: 'npm', manifest: 'package.json', dev: true },
      ],
      count: 2,
      languages: [{ name: 'javascript', version: '>=20', evidence: [{ file: 'package.json', line: 1 }] }],
      pm: 'npm',
    });
  });
});

describe('requirements files', () => {
  it('reads distributions with versions and lines, skipping options and URLs', async () => {
    const a = await analyzeFiles({ 'requirements.txt': lines('-r base.txt', '--index-url https://pypi.example/simple', 'Django==5.0.6 ; python_version >= "3.10"', 'git+https://github.com/acme/lib.git#egg=lib', 'Flask_SQLAlchemy>=3.1', '', '# tools', 'requests[socks]~=2.31') });
    expect(a.dependencies).toEqual([
      { name: 'django', version: '5.0.6', ecosystem: 'pypi', manifest: 'requirements.txt', dev: false },
      { name: 'flask-sqlalchemy', version: '3.1', ecosystem: 'pypi', manifest: 'requirements.txt', dev: false },
      { name: 'requests', version: '2.31', ecosystem: 'pypi', manifest: 'requirements.txt', dev: false },
    ]);
  });
});
