import { isObject } from '@scia/api';
import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { rule, type Dep, type Detection, type Detector } from './types.js';

const cpp = 'cpp';

/** native detects C and C++ services built with CMake (dependencies from find_package and vcpkg.json). */
export const native: Detector = {
  family: 'native',
  languages: [{ name: cpp, title: 'C / C++' }],
  extensions: ['.cc', '.cpp', '.c', '.h', '.hpp'],
  frameworks: [
    rule({ name: 'drogon', title: 'Drogon', language: cpp, kind: 'server', deps: ['drogon'], port: 8080, rank: 60 }),
    rule({ name: 'crow', title: 'Crow', language: cpp, kind: 'server', deps: ['crow'], port: 18080, rank: 60 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('CMakeLists.txt')) return undefined;
  const text = (await ctx.text('CMakeLists.txt')) ?? '';
  const found = depsFromLines(text, /find_package\s*\(\s*(?<name>[\w-]+)/i, { manifest: 'CMakeLists.txt', ecosystem: 'cmake' });
  const vcpkg: Dep[] = [];
  if (ctx.has('vcpkg.json')) {
    const doc = await ctx.json('vcpkg.json');
    const list = isObject(doc) && Array.isArray(doc['dependencies']) ? doc['dependencies'] : [];
    for (const d of list) if (typeof d === 'string') vcpkg.push({ name: d, ecosystem: 'vcpkg', manifest: 'vcpkg.json', dev: false });
  }
  const target = /add_executable\s*\(\s*([\w-]+)/.exec(text)?.[1] ?? 'app';
  return {
    language: cpp,
    evidence: [ev('CMakeLists.txt')],
    packageManager: 'cmake',
    dependencies: [...found.map((d) => ({ ...d, name: d.name.toLowerCase() })), ...vcpkg],
    build: { command: 'cmake -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build', evidence: ev('CMakeLists.txt') },
    start: { command: `./build/${target}`, evidence: ev('CMakeLists.txt', undefined, 'add_executable') },
    weight: 8,
  };
}
