import { isObject } from '@scia/api';
import { ev, str, type Ctx } from '../context.js';
import { depsFromRecord } from './deps.js';
import { rule, type Detection, type Detector } from './types.js';

const php = 'php';

/** phpApps detects PHP apps from composer.json, or a bare index.php. */
export const phpApps: Detector = {
  family: 'php',
  languages: [{ name: php, title: 'PHP' }],
  extensions: ['.php'],
  frameworks: [
    rule({ name: 'laravel', title: 'Laravel', language: php, kind: 'server', deps: ['laravel/framework'], files: [/^artisan$/], port: 8000, start: 'php artisan serve --host 0.0.0.0 --port {port}', rank: 80 }),
    rule({ name: 'symfony', title: 'Symfony', language: php, kind: 'server', deps: ['symfony/framework-bundle'], port: 8000, start: 'php -S 0.0.0.0:{port} -t public', rank: 75 }),
    rule({ name: 'codeigniter', title: 'CodeIgniter', language: php, kind: 'server', deps: ['codeigniter4/framework'], port: 8080, start: 'php spark serve --host 0.0.0.0', rank: 70 }),
    rule({ name: 'slim', title: 'Slim', language: php, kind: 'server', deps: ['slim/slim'], port: 8080, start: 'php -S 0.0.0.0:{port} -t public', rank: 60 }),
    rule({ name: 'wordpress', title: 'WordPress', language: php, kind: 'server', deps: ['johnpbloch/wordpress', 'roots/wordpress'], files: [/^wp-config(-sample)?\.php$/], port: 80, rank: 65 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  if (!ctx.has('composer.json')) {
    if (!ctx.has('index.php') && !ctx.has('wp-config-sample.php')) return undefined;
    return { language: php, evidence: [ev(ctx.has('index.php') ? 'index.php' : 'wp-config-sample.php')], dependencies: [], start: { command: 'php -S 0.0.0.0:8080', evidence: ev('index.php', undefined, 'built-in server') }, weight: 5 };
  }
  const text = (await ctx.text('composer.json')) ?? '';
  const doc = await ctx.json('composer.json');
  const rec = isObject(doc) ? doc : {};
  const opts = { manifest: 'composer.json', text, ecosystem: 'packagist' };
  const dependencies = [...depsFromRecord(rec['require'], { ...opts, dev: false }), ...depsFromRecord(rec['require-dev'], { ...opts, dev: true })];
  const version = str(isObject(rec['require']) ? rec['require']['php'] : undefined);
  return {
    language: php,
    ...(version === undefined ? {} : { version }),
    evidence: [ev('composer.json')],
    packageManager: 'composer',
    dependencies: dependencies.filter((d) => d.name !== 'php' && !d.name.startsWith('ext-')),
    build: { command: 'composer install --no-dev --optimize-autoloader', evidence: ev('composer.json') },
    weight: 10,
  };
}
