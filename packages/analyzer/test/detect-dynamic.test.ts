import { describe, expect, it } from 'vitest';
import { analyzeFiles, facts, lines, type Case } from './fixtures/repos.js';

const gemfile = (...gems: string[]) => lines("source 'https://rubygems.org'", "ruby '3.3.0'", ...gems.map((g) => `gem '${g}'`));
const composer = (req: Record<string, string>) => JSON.stringify({ require: { php: '>=8.2', ...req } }, null, 2);
const mix = (...deps: string[]) => lines('defmodule App.MixProject do', '  def project, do: [app: :app, elixir: "~> 1.16", deps: deps()]', '  defp deps do', '    [', ...deps.map((d) => `      {:${d}, "~> 1.0"},`), '    ]', '  end', 'end');

const cases: Record<string, Case> = {
  rails: {
    reason: 'Rails with Postgres, Redis and Sidekiq',
    files: { Gemfile: gemfile('rails', 'pg', 'sidekiq', 'redis'), 'config.ru': '', 'config/puma.rb': lines('port ENV.fetch("PORT") { 3000 }') },
    want: { language: 'ruby', framework: 'rails', kind: 'server', port: 3000, startCommand: 'bundle exec rails server -b 0.0.0.0 -p 3000', services: ['postgresql', 'redis'] },
  },
  sinatra: {
    reason: 'Sinatra with its port set in code',
    files: { Gemfile: gemfile('sinatra', 'mongoid'), 'app.rb': lines("set :port, 4568") },
    want: { language: 'ruby', framework: 'sinatra', kind: 'server', port: 4568, startCommand: 'bundle exec ruby app.rb', services: ['mongodb'] },
  },
  hanami: {
    reason: 'Hanami',
    files: { Gemfile: gemfile('hanami', 'hanami-router') },
    want: { language: 'ruby', framework: 'hanami', kind: 'server', port: 2300, startCommand: 'bundle exec hanami server', services: [] },
  },
  roda: {
    reason: 'Roda on Rack',
    files: { Gemfile: gemfile('roda', 'puma'), 'config.ru': lines('run App.freeze.app') },
    want: { language: 'ruby', framework: 'roda', kind: 'server', port: 9292, startCommand: 'bundle exec rackup -o 0.0.0.0', services: [] },
  },
  jekyll: {
    reason: 'Jekyll is a static site',
    files: { Gemfile: gemfile('jekyll', 'minima'), '_config.yml': lines('title: Blog') },
    want: { language: 'ruby', framework: 'jekyll', kind: 'static', services: [] },
  },
  sidekiq: {
    reason: 'a Sidekiq-only worker',
    files: { Gemfile: gemfile('sidekiq', 'redis') },
    want: { language: 'ruby', framework: 'sidekiq', kind: 'worker', startCommand: 'bundle exec sidekiq', services: ['redis'] },
  },
  laravel: {
    reason: 'Laravel with MySQL and Redis in .env.example',
    files: { 'composer.json': composer({ 'laravel/framework': '^11.0' }), artisan: '', '.env.example': lines('DB_CONNECTION=mysql', 'MYSQL_ATTR_SSL_CA=', 'REDIS_HOST=127.0.0.1') },
    want: { language: 'php', framework: 'laravel', kind: 'server', port: 8000, startCommand: 'php artisan serve --host 0.0.0.0 --port 8000', services: ['mysql', 'redis'] },
  },
  symfony: {
    reason: 'Symfony',
    files: { 'composer.json': composer({ 'symfony/framework-bundle': '^7.0', 'doctrine/orm': '^3' }), 'public/index.php': '' },
    want: { language: 'php', framework: 'symfony', kind: 'server', port: 8000, startCommand: 'php -S 0.0.0.0:8000 -t public', services: [] },
  },
  slim: {
    reason: 'Slim',
    files: { 'composer.json': composer({ 'slim/slim': '^4.12', 'predis/predis': '^2' }) },
    want: { language: 'php', framework: 'slim', kind: 'server', port: 8080, startCommand: 'php -S 0.0.0.0:8080 -t public', services: ['redis'] },
  },
  codeigniter: {
    reason: 'CodeIgniter 4',
    files: { 'composer.json': composer({ 'codeigniter4/framework': '^4.5' }) },
    want: { language: 'php', framework: 'codeigniter', kind: 'server', port: 8080, startCommand: 'php spark serve --host 0.0.0.0', services: [] },
  },
  wordpress: {
    reason: 'a WordPress tree without composer',
    files: { 'index.php': '', 'wp-config-sample.php': lines("define( 'DB_NAME', 'wp' );") },
    want: { language: 'php', framework: 'wordpress', kind: 'server', port: 80, startCommand: 'php -S 0.0.0.0:8080', services: [] },
  },
  phoenix: {
    reason: 'Phoenix with Postgrex',
    files: { 'mix.exs': mix('phoenix', 'phoenix_ecto', 'postgrex'), 'config/runtime.exs': lines('config :app, AppWeb.Endpoint, http: [port: 4001]') },
    want: { language: 'elixir', framework: 'phoenix', kind: 'server', port: 4001, startCommand: 'mix phx.server', services: ['postgresql'] },
  },
  plug: {
    reason: 'Plug on Cowboy',
    files: { 'mix.exs': mix('plug_cowboy', 'jason') },
    want: { language: 'elixir', framework: 'plug', kind: 'server', port: 4000, startCommand: 'mix run --no-halt', services: [] },
  },
  play: {
    reason: 'Play from its sbt plugin',
    files: { 'build.sbt': lines('name := "shop"', 'scalaVersion := "2.13.14"', 'libraryDependencies += "org.postgresql" % "postgresql" % "42.7.3"'), 'project/plugins.sbt': lines('addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.3")') },
    want: { language: 'scala', framework: 'play', kind: 'server', port: 9000, startCommand: 'target/universal/stage/bin/shop', services: ['postgresql'] },
  },
  'akka-http': {
    reason: 'Akka HTTP',
    files: { 'build.sbt': lines('libraryDependencies += "com.typesafe.akka" %% "akka-http" % "10.5.3"') },
    want: { language: 'scala', framework: 'akka-http', kind: 'server', port: 8080, startCommand: 'sbt run', services: [] },
  },
  http4s: {
    reason: 'http4s with Ember',
    files: { 'build.sbt': lines('libraryDependencies ++= Seq(', '  "org.http4s" %% "http4s-ember-server" % "0.23.27",', '  "org.http4s" %% "http4s-dsl" % "0.23.27"', ')') },
    want: { language: 'scala', framework: 'http4s', kind: 'server', port: 8080, startCommand: 'sbt run', services: [] },
  },
  'zio-http': {
    reason: 'ZIO HTTP',
    files: { 'build.sbt': lines('libraryDependencies += "dev.zio" %% "zio-http" % "3.0.0"') },
    want: { language: 'scala', framework: 'zio-http', kind: 'server', port: 8080, startCommand: 'sbt run', services: [] },
  },
  ring: {
    reason: 'Ring on Jetty (Leiningen)',
    files: { 'project.clj': lines('(defproject app "0.1.0"', '  :dependencies [[org.clojure/clojure "1.11.1"]', '                 [ring/ring-jetty-adapter "1.12.1"]]', '  :main app.core)') },
    want: { language: 'clojure', framework: 'ring', kind: 'server', port: 3000, startCommand: 'lein run', services: [] },
  },
  compojure: {
    reason: 'Compojure outranks Ring',
    files: { 'project.clj': lines('(defproject app "0.1.0"', '  :dependencies [[compojure "1.7.1"] [ring/ring-core "1.12.1"]])') },
    want: { language: 'clojure', framework: 'compojure', kind: 'server', port: 3000, startCommand: 'lein run', services: [] },
  },
  reitit: {
    reason: 'Reitit (deps.edn)',
    files: { 'deps.edn': lines('{:deps {metosin/reitit {:mvn/version "0.7.0"}', '        ring/ring-jetty-adapter {:mvn/version "1.12.1"}}}') },
    want: { language: 'clojure', framework: 'reitit', kind: 'server', port: 3000, startCommand: 'clojure -M -m main', services: [] },
  },
  pedestal: {
    reason: 'Pedestal',
    files: { 'deps.edn': lines('{:deps {io.pedestal/pedestal.service {:mvn/version "0.6.3"}}}') },
    want: { language: 'clojure', framework: 'pedestal', kind: 'server', port: 8080, startCommand: 'clojure -M -m main', services: [] },
  },
  'http-kit': {
    reason: 'http-kit',
    files: { 'deps.edn': lines('{:deps {http-kit/http-kit {:mvn/version "2.8.0"}}}') },
    want: { language: 'clojure', framework: 'http-kit', kind: 'server', port: 8080, startCommand: 'clojure -M -m main', services: [] },
  },
  shelf: {
    reason: 'Shelf (Dart)',
    files: { 'pubspec.yaml': lines('name: server', 'environment:', '  sdk: ^3.3.0', 'dependencies:', '  shelf: ^1.4.0', '  shelf_router: ^1.1.0'), 'bin/server.dart': lines("final port = int.parse(Platform.environment['PORT'] ?? '8083');") },
    want: { language: 'dart', framework: 'shelf', kind: 'server', port: 8083, startCommand: 'bin/server', services: [] },
  },
  'dart-frog': {
    reason: 'Dart Frog',
    files: { 'pubspec.yaml': lines('name: api', 'dependencies:', '  dart_frog: ^1.1.0') },
    want: { language: 'dart', framework: 'dart-frog', kind: 'server', port: 8080, startCommand: 'dart build/bin/server.dart', services: [] },
  },
  'flutter-web': {
    reason: 'Flutter builds a static web app',
    files: { 'pubspec.yaml': lines('name: app', 'dependencies:', '  flutter:', '    sdk: flutter') },
    want: { language: 'dart', framework: 'flutter-web', kind: 'static', services: [] },
  },
  fresh: {
    reason: 'Fresh on Deno',
    files: { 'deno.json': JSON.stringify({ tasks: { start: 'deno run -A main.ts' }, imports: { '$fresh/': 'https://deno.land/x/fresh@1.6.8/' } }), 'main.ts': '' },
    want: { language: 'typescript', framework: 'fresh', kind: 'server', port: 8000, startCommand: 'deno task start', services: [] },
  },
  oak: {
    reason: 'Oak on Deno (deno.jsonc with comments)',
    files: { 'deno.jsonc': lines('{', '  // the web framework', '  "imports": { "@oak/oak": "jsr:@oak/oak@^16" }', '}'), 'main.ts': lines('await app.listen({ port: 8001 });') },
    want: { language: 'typescript', framework: 'oak', kind: 'server', port: 8001, startCommand: 'deno run --allow-net main.ts', services: [] },
  },
  deno: {
    reason: 'a bare Deno.serve app outranks a stray package.json',
    files: { 'deno.json': '{}', 'main.ts': lines('Deno.serve({ port: 8002 }, () => new Response("ok"));'), 'package.json': '{}' },
    want: { language: 'typescript', framework: 'deno', kind: 'server', port: 8002, startCommand: 'deno run --allow-net main.ts', services: [] },
  },
  hugo: {
    reason: 'Hugo site',
    files: { 'hugo.toml': lines("baseURL = 'https://example.org/'"), 'content/_index.md': '# Home' },
    want: { language: 'html', framework: 'hugo', kind: 'static', services: [] },
  },
  zola: {
    reason: 'Zola site',
    files: { 'config.toml': lines('base_url = "https://example.org"'), 'templates/index.html': '' },
    want: { language: 'html', framework: 'zola', kind: 'static', services: [] },
  },
  'static-html': {
    reason: 'a plain HTML site',
    files: { 'index.html': '<!doctype html><title>hi</title>', 'style.css': '' },
    want: { language: 'html', framework: 'static-html', kind: 'static', services: [] },
  },
  shiny: {
    reason: 'Shiny (R)',
    files: { 'app.R': lines('library(shiny)', 'shinyApp(ui, server)') },
    want: { language: 'r', framework: 'shiny', kind: 'server', port: 3838, startCommand: `R -e "shiny::runApp('.', host='0.0.0.0', port=3838)"`, services: [] },
  },
  plumber: {
    reason: 'Plumber (R)',
    files: { 'plumber.R': lines('#* @get /echo', 'function(msg="") list(msg = msg)') },
    want: { language: 'r', framework: 'plumber', kind: 'server', port: 8000, startCommand: `R -e "plumber::pr_run(plumber::pr('plumber.R'), host='0.0.0.0', port=8000)"`, services: [] },
  },
};

describe('dynamic-language and static-site detection', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    expect(facts(await analyzeFiles(c.files)), c.reason).toEqual(c.want);
  });
});
