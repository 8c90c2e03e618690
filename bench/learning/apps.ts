import type { Random } from './random.js';

/**
 * Hidden are what an app really needs, which no file of its repository states:
 * the benchmark's cluster and team see them, the pipeline never reads them.
 */
export interface Hidden {
  /** memoryMb is the working set under load; below it the process is killed. */
  memoryMb: number;
  /** gpu: the app needs a CUDA device. */
  gpu: boolean;
  /** websockets: the app holds long-lived client connections. */
  websockets: boolean;
  /** coldStartMs is how long a fresh instance takes to serve its first request. */
  coldStartMs: number;
}

/** App is one simulated application: a small repository tree and its hidden needs. */
export interface App {
  name: string;
  family: string;
  files: Record<string, string>;
  hidden: Hidden;
}

type Family = (name: string, r: Random, variant: number) => { files: Record<string, string>; hidden: Hidden };

const pyExtras = ['requests', 'pydantic', 'sqlalchemy', 'boto3', 'structlog', 'httpx', 'jinja2', 'marshmallow', 'python-dotenv', 'sentry-sdk'];
const nodeExtras = ['pino', 'zod', 'axios', 'dotenv', 'helmet', 'cors', 'jsonwebtoken', 'lodash', 'dayjs', 'uuid'];

function some(r: Random, pool: readonly string[], n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) out.add(r.pick(pool));
  return [...out].sort();
}

const requirements = (deps: readonly string[]): string => `${deps.join('\n')}\n`;
const packageJson = (name: string, deps: readonly string[], start: string): string =>
  `${JSON.stringify({ name, version: '1.0.0', private: true, main: 'server.js', scripts: { start }, dependencies: Object.fromEntries(deps.map((d) => [d, '^1.0.0'])) }, null, 2)}\n`;

const flask: Family = (name, r, v) => {
  // Some data apps load a large frame at start; others only use pandas for CSV exports.
  const data = v % 3 === 0;
  const heavyLoad = v % 6 === 0;
  const deps = ['flask', 'gunicorn', ...(data ? ['pandas', 'numpy'] : []), ...(v % 2 === 0 ? ['psycopg[binary]'] : []), ...some(r, pyExtras, 2)];
  return {
    files: { 'requirements.txt': requirements(deps), 'app.py': 'from flask import Flask\napp = Flask(__name__)\n', Procfile: 'web: gunicorn app:app\n' },
    hidden: { memoryMb: heavyLoad ? r.int(1500, 2600) : r.int(180, 420), gpu: false, websockets: false, coldStartMs: data ? 1400 : 600 },
  };
};

const fastapi: Family = (name, r, v) => {
  // uvicorn[standard] brings websockets in; one app of this family serves a live feed on them.
  const live = v === 1;
  const deps = ['fastapi', 'uvicorn[standard]', ...(v % 2 === 1 ? ['redis'] : []), ...some(r, pyExtras, 2)];
  return {
    files: { 'requirements.txt': requirements(deps), 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n', Procfile: 'web: uvicorn main:app --host 0.0.0.0 --port $PORT\n' },
    hidden: { memoryMb: r.int(220, 480), gpu: false, websockets: live, coldStartMs: 700 },
  };
};

const django: Family = (name, r, v) => {
  const deps = ['django', 'gunicorn', 'psycopg[binary]', ...(v % 2 === 0 ? ['celery', 'redis'] : []), ...some(r, pyExtras, 3)];
  return {
    files: { 'requirements.txt': requirements(deps), 'manage.py': 'import django\n', 'site/settings.py': 'DEBUG = False\n', Procfile: 'web: gunicorn site.wsgi\n' },
    hidden: { memoryMb: r.int(600, 1100), gpu: false, websockets: false, coldStartMs: 2600 },
  };
};

const express: Family = (name, r, v) => {
  // Two apps use socket.io (a library the analysis knows), one uses express-ws (one it does not).
  const realtime = v === 0 || v === 3 ? ['socket.io'] : v === 4 ? ['express-ws'] : [];
  const deps = ['express', ...realtime, ...(v % 2 === 0 ? ['pg'] : ['ioredis']), ...some(r, nodeExtras, 3)];
  return {
    files: { 'package.json': packageJson(name, deps, 'node server.js'), 'server.js': "const express = require('express');\n" },
    hidden: { memoryMb: r.int(140, 360), gpu: false, websockets: realtime.length > 0, coldStartMs: 400 },
  };
};

const spring: Family = (name, r, v) => {
  const starters = ['spring-boot-starter-web', ...(v % 2 === 0 ? ['spring-boot-starter-data-jpa', 'postgresql'] : ['spring-boot-starter-actuator'])];
  const pom = [
    '<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId>',
    `<artifactId>${name}</artifactId><version>1.0.0</version>`,
    '<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>',
    '<dependencies>',
    ...starters.map((a) => `<dependency><groupId>${a === 'postgresql' ? 'org.postgresql' : 'org.springframework.boot'}</groupId><artifactId>${a}</artifactId></dependency>`),
    '</dependencies></project>',
  ].join('\n');
  return {
    files: { 'pom.xml': `${pom}\n`, 'src/main/java/com/acme/App.java': 'package com.acme;\npublic class App {}\n' },
    hidden: { memoryMb: r.int(900, 1700), gpu: false, websockets: false, coldStartMs: 6500 },
  };
};

const gin: Family = (name, r, v) => {
  const mods = ['github.com/gin-gonic/gin v1.10.0', ...(v % 2 === 0 ? ['github.com/jackc/pgx/v5 v5.6.0'] : ['github.com/redis/go-redis/v9 v9.5.1'])];
  return {
    files: { 'go.mod': `module github.com/acme/${name}\n\ngo 1.22\n\nrequire (\n${mods.map((m) => `\t${m}`).join('\n')}\n)\n`, 'main.go': 'package main\n\nfunc main() {}\n' },
    hidden: { memoryMb: r.int(60, 160), gpu: false, websockets: false, coldStartMs: 250 },
  };
};

const inference: Family = (name, r, v) => {
  // One serves with vllm (a GPU library the analysis knows); two run torch on CUDA with nothing saying so.
  const gpuKnown = v === 0;
  const gpu = v <= 2;
  const deps = ['fastapi', 'uvicorn', 'torch', 'transformers', ...(gpuKnown ? ['vllm'] : []), ...(v === 4 ? ['sentence-transformers'] : []), ...some(r, pyExtras, 1)];
  return {
    files: { 'requirements.txt': requirements(deps), 'serve.py': 'import torch\n', Procfile: 'web: uvicorn serve:app --host 0.0.0.0 --port $PORT\n' },
    hidden: { memoryMb: gpu ? r.int(5000, 7000) : r.int(2600, 4200), gpu, websockets: false, coldStartMs: 9000 },
  };
};

const rails: Family = (name, r, v) => {
  const gems = ['rails', 'puma', 'pg', ...(v === 1 ? ['sidekiq'] : []), 'bootsnap'];
  return {
    files: { Gemfile: `source 'https://rubygems.org'\n${gems.map((g) => `gem '${g}'`).join('\n')}\n`, 'config.ru': 'run Rails.application\n', 'config/application.rb': 'module App; end\n' },
    hidden: { memoryMb: r.int(700, 1200), gpu: false, websockets: false, coldStartMs: 3500 },
  };
};

const worker: Family = (name, r, v) => {
  const deps = ['celery', 'redis', ...(v === 0 ? ['pandas'] : ['requests']), ...some(r, pyExtras, 1)];
  return {
    files: { 'requirements.txt': requirements(deps), 'tasks.py': 'from celery import Celery\n', Procfile: 'worker: celery -A tasks worker\n' },
    hidden: { memoryMb: r.int(400, 900), gpu: false, websockets: false, coldStartMs: 1500 },
  };
};

/** FAMILIES lists each kind of app and how many of the world's 40 it makes. */
const FAMILIES: readonly [string, Family, number][] = [
  ['flask', flask, 6], ['fastapi', fastapi, 5], ['django', django, 5], ['express', express, 6], ['spring', spring, 4],
  ['gin', gin, 4], ['inference', inference, 5], ['rails', rails, 3], ['worker', worker, 2],
];

/** buildApps makes the world's apps from a seed. */
export function buildApps(r: Random): App[] {
  const apps: App[] = [];
  for (const [family, make, count] of FAMILIES) {
    for (let v = 0; v < count; v++) {
      const name = `${family}-${v + 1}`;
      apps.push({ name, family, ...make(name, r, v) });
    }
  }
  return apps;
}
