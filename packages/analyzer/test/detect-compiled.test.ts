import { describe, expect, it } from 'vitest';
import { analyzeFiles, cargo, facts, gomod, lines, pom, type Case } from './fixtures/repos.js';

const goMain = (port: string) => lines('package main', '', 'import "net/http"', '', 'func main() {', `\thttp.ListenAndServe(":${port}", nil)`, '}');

const cases: Record<string, Case> = {
  'go-net-http': {
    reason: 'a plain net/http server without go.mod dependencies',
    files: { 'go.mod': lines('module example.com/app', '', 'go 1.22'), 'main.go': goMain('8090') },
    want: { language: 'go', framework: 'net-http', kind: 'server', port: 8090, startCommand: './app', services: [] },
  },
  gin: {
    reason: 'Gin with Postgres through pgx and Redis',
    files: { 'go.mod': gomod('github.com/gin-gonic/gin', 'github.com/jackc/pgx/v5', 'github.com/redis/go-redis/v9'), 'main.go': lines('r := gin.Default()', 'r.Run(":8081")') },
    want: { language: 'go', framework: 'gin', kind: 'server', port: 8081, startCommand: './app', services: ['postgresql', 'redis'] },
  },
  echo: {
    reason: 'Echo on its default port',
    files: { 'go.mod': gomod('github.com/labstack/echo/v4'), 'main.go': lines('e := echo.New()') },
    want: { language: 'go', framework: 'echo', kind: 'server', port: 1323, startCommand: './app', services: [] },
  },
  fiber: {
    reason: 'Fiber with MongoDB',
    files: { 'go.mod': gomod('github.com/gofiber/fiber/v2', 'go.mongodb.org/mongo-driver'), 'main.go': lines('app.Listen(":3000")') },
    want: { language: 'go', framework: 'fiber', kind: 'server', port: 3000, startCommand: './app', services: ['mongodb'] },
  },
  chi: {
    reason: 'chi outranks net/http',
    files: { 'go.mod': gomod('github.com/go-chi/chi/v5'), 'cmd/server/main.go': goMain('8082') },
    want: { language: 'go', framework: 'chi', kind: 'server', port: 8082, startCommand: './app', services: [] },
  },
  'gorilla-mux': {
    reason: 'Gorilla mux with Kafka',
    files: { 'go.mod': gomod('github.com/gorilla/mux', 'github.com/segmentio/kafka-go'), 'main.go': goMain('8080') },
    want: { language: 'go', framework: 'gorilla-mux', kind: 'server', port: 8080, startCommand: './app', services: ['kafka'] },
  },
  beego: {
    reason: 'Beego',
    files: { 'go.mod': gomod('github.com/beego/beego/v2') },
    want: { language: 'go', framework: 'beego', kind: 'server', port: 8080, startCommand: './app', services: [] },
  },
  'spring-boot': {
    reason: 'Spring Boot on Maven with server.port and MySQL',
    files: { 'pom.xml': pom('org.springframework.boot:spring-boot-starter-web', 'com.mysql:mysql-connector-j'), 'src/main/resources/application.properties': lines('server.port=8085') },
    want: { language: 'java', framework: 'spring-boot', kind: 'server', port: 8085, startCommand: 'java -jar target/*.jar', services: ['mysql'] },
  },
  'spring-boot-kotlin': {
    reason: 'Spring Boot on Gradle Kotlin DSL in Kotlin',
    files: { 'build.gradle.kts': lines('plugins {', '  id("org.springframework.boot") version "3.3.0"', '  kotlin("jvm") version "1.9.24"', '}', 'dependencies {', '  implementation("org.springframework.boot:spring-boot-starter-web")', '  implementation("org.springframework.kafka:spring-kafka")', '}'), 'gradlew': '', 'src/main/kotlin/App.kt': '' },
    want: { language: 'kotlin', framework: 'spring-boot', kind: 'server', port: 8080, startCommand: 'java -jar build/libs/*.jar', services: ['kafka'] },
  },
  quarkus: {
    reason: 'Quarkus on Maven',
    files: { 'pom.xml': pom('io.quarkus:quarkus-rest', 'io.quarkus:quarkus-jdbc-postgresql', 'org.postgresql:postgresql') },
    want: { language: 'java', framework: 'quarkus', kind: 'server', port: 8080, startCommand: 'java -jar target/quarkus-app/quarkus-run.jar', services: ['postgresql'] },
  },
  micronaut: {
    reason: 'Micronaut on Gradle with its application plugin',
    files: { 'build.gradle': lines('plugins {', '  id("io.micronaut.application") version "4.4.0"', '}', 'dependencies {', '  implementation("io.micronaut:micronaut-http-server-netty")', '}') },
    want: { language: 'java', framework: 'micronaut', kind: 'server', port: 8080, startCommand: 'java -jar build/libs/*.jar', services: [] },
  },
  ktor: {
    reason: 'Ktor in Kotlin',
    files: { 'build.gradle.kts': lines('dependencies {', '  implementation("io.ktor:ktor-server-netty:2.3.11")', '}'), 'src/main/kotlin/Application.kt': lines('embeddedServer(Netty, port = 8086) {}') },
    want: { language: 'kotlin', framework: 'ktor', kind: 'server', port: 8086, startCommand: 'java -jar build/libs/*.jar', services: [] },
  },
  helidon: {
    reason: 'Helidon',
    files: { 'pom.xml': pom('io.helidon.webserver:helidon-webserver') },
    want: { language: 'java', framework: 'helidon', kind: 'server', port: 8080, startCommand: 'java -jar target/*.jar', services: [] },
  },
  dropwizard: {
    reason: 'Dropwizard',
    files: { 'pom.xml': pom('io.dropwizard:dropwizard-core') },
    want: { language: 'java', framework: 'dropwizard', kind: 'server', port: 8080, startCommand: 'java -jar target/*.jar server config.yml', services: [] },
  },
  vertx: {
    reason: 'Vert.x',
    files: { 'pom.xml': pom('io.vertx:vertx-web', 'io.vertx:vertx-pg-client') },
    want: { language: 'java', framework: 'vertx', kind: 'server', port: 8080, startCommand: 'java -jar target/*.jar', services: [] },
  },
  javalin: {
    reason: 'Javalin with its port in code',
    files: { 'pom.xml': pom('io.javalin:javalin'), 'src/main/java/App.java': lines('Javalin.create().start(7071);') },
    want: { language: 'java', framework: 'javalin', kind: 'server', port: 7071, startCommand: 'java -jar target/*.jar', services: [] },
  },
  'actix-web': {
    reason: 'Actix Web with Postgres through tokio-postgres',
    files: { 'Cargo.toml': cargo('actix-web', 'tokio-postgres'), 'src/main.rs': lines('HttpServer::new(|| App::new()).bind(("0.0.0.0", 8088))?') },
    want: { language: 'rust', framework: 'actix-web', kind: 'server', port: 8088, startCommand: './target/release/app', services: ['postgresql'] },
  },
  axum: {
    reason: 'Axum with a bind address in code',
    files: { 'Cargo.toml': cargo('axum', 'tokio', 'redis'), 'src/main.rs': lines('let listener = tokio::net::TcpListener::bind("0.0.0.0:3005").await?;') },
    want: { language: 'rust', framework: 'axum', kind: 'server', port: 3005, startCommand: './target/release/app', services: ['redis'] },
  },
  rocket: {
    reason: 'Rocket',
    files: { 'Cargo.toml': cargo('rocket') },
    want: { language: 'rust', framework: 'rocket', kind: 'server', port: 8000, startCommand: './target/release/app', services: [] },
  },
  warp: {
    reason: 'warp',
    files: { 'Cargo.toml': cargo('warp', 'tokio') },
    want: { language: 'rust', framework: 'warp', kind: 'server', port: 3030, startCommand: './target/release/app', services: [] },
  },
  poem: {
    reason: 'Poem',
    files: { 'Cargo.toml': cargo('poem', 'rdkafka') },
    want: { language: 'rust', framework: 'poem', kind: 'server', port: 3000, startCommand: './target/release/app', services: ['kafka'] },
  },
  'aspnet-core': {
    reason: 'ASP.NET Core with Npgsql and Redis',
    files: { 'src/Api/Api.csproj': lines('<Project Sdk="Microsoft.NET.Sdk.Web">', '  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>', '  <ItemGroup>', '    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.0" />', '    <PackageReference Include="StackExchange.Redis" Version="2.7.0" />', '  </ItemGroup>', '</Project>') },
    want: { language: 'csharp', framework: 'aspnet-core', kind: 'server', port: 8080, startCommand: 'dotnet out/Api.dll', services: ['postgresql', 'redis'] },
  },
  'blazor-wasm': {
    reason: 'Blazor WebAssembly is static',
    files: { 'Client.csproj': lines('<Project Sdk="Microsoft.NET.Sdk.BlazorWebAssembly">', '<PackageReference Include="Microsoft.AspNetCore.Components.WebAssembly" Version="8.0.0" />', '</Project>') },
    want: { language: 'csharp', framework: 'blazor-wasm', kind: 'static', services: [] },
  },
  giraffe: {
    reason: 'Giraffe on F#',
    files: { 'App.fsproj': lines('<Project Sdk="Microsoft.NET.Sdk.Web">', '<PackageReference Include="Giraffe" Version="6.4.0" />', '</Project>') },
    want: { language: 'fsharp', framework: 'giraffe', kind: 'server', port: 8080, startCommand: 'dotnet out/App.dll', services: [] },
  },
  vapor: {
    reason: 'Vapor',
    files: { 'Package.swift': lines('// swift-tools-version:5.9', 'dependencies: [', '  .package(url: "https://github.com/vapor/vapor.git", from: "4.92.0"),', '  .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.8.0"),', '],', 'targets: [ .executableTarget(name: "App") ]') },
    want: { language: 'swift', framework: 'vapor', kind: 'server', port: 8080, startCommand: '.build/release/App serve --hostname 0.0.0.0 --port 8080', services: [] },
  },
  hummingbird: {
    reason: 'Hummingbird',
    files: { 'Package.swift': lines('.package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),', '.executableTarget(name: "Server")') },
    want: { language: 'swift', framework: 'hummingbird', kind: 'server', port: 8080, startCommand: '.build/release/Server', services: [] },
  },
  yesod: {
    reason: 'Yesod (Cabal)',
    files: { 'app.cabal': lines('name: app', 'executable app', '  build-depends: base, yesod, persistent-postgresql'), 'stack.yaml': '' },
    want: { language: 'haskell', framework: 'yesod', kind: 'server', port: 3000, startCommand: 'stack exec app', services: [] },
  },
  servant: {
    reason: 'Servant (hpack)',
    files: { 'package.yaml': lines('name: api', 'dependencies:', '- base', '- servant-server', '- warp') },
    want: { language: 'haskell', framework: 'servant', kind: 'server', port: 8080, startCommand: 'cabal run app', services: [] },
  },
  scotty: {
    reason: 'Scotty on its default port',
    files: { 'web.cabal': lines('executable web', '  build-depends: base, scotty') },
    want: { language: 'haskell', framework: 'scotty', kind: 'server', port: 3000, startCommand: 'cabal run web', services: [] },
  },
  drogon: {
    reason: 'Drogon (CMake)',
    files: { 'CMakeLists.txt': lines('project(api)', 'find_package(Drogon CONFIG REQUIRED)', 'add_executable(api main.cc)'), 'main.cc': lines('drogon::app().addListener("0.0.0.0", 8087).run();') },
    want: { language: 'cpp', framework: 'drogon', kind: 'server', port: 8087, startCommand: './build/api', services: [] },
  },
  crow: {
    reason: 'Crow (CMake and vcpkg)',
    files: { 'CMakeLists.txt': lines('add_executable(server main.cpp)'), 'vcpkg.json': '{"dependencies": ["crow"]}' },
    want: { language: 'cpp', framework: 'crow', kind: 'server', port: 18080, startCommand: './build/server', services: [] },
  },
  kemal: {
    reason: 'Kemal (Crystal)',
    files: { 'shard.yml': lines('name: app', 'targets:', '  app:', '    main: src/app.cr', 'dependencies:', '  kemal:', '    github: kemalcr/kemal') },
    want: { language: 'crystal', framework: 'kemal', kind: 'server', port: 3000, startCommand: './bin/app', services: [] },
  },
  lucky: {
    reason: 'Lucky (Crystal)',
    files: { 'shard.yml': lines('name: web', 'targets:', '  web:', '    main: src/web.cr', 'dependencies:', '  lucky:', '    github: luckyframework/lucky') },
    want: { language: 'crystal', framework: 'lucky', kind: 'server', port: 5000, startCommand: './bin/web', services: [] },
  },
};

describe('compiled-language detection', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    expect(facts(await analyzeFiles(c.files)), c.reason).toEqual(c.want);
  });
});
