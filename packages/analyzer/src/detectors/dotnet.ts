import { ev, type Ctx } from '../context.js';
import { depsFromLines } from './deps.js';
import { rule, type Detection, type Detector } from './types.js';

const cs = 'csharp';
const fs = 'fsharp';

/** WEB_SDK is the pseudo-dependency standing for a project built with Microsoft.NET.Sdk.Web. */
const WEB_SDK = 'sdk:Microsoft.NET.Sdk.Web';

/** dotnet detects C# and F# apps from their project files. */
export const dotnet: Detector = {
  family: 'dotnet',
  languages: [
    { name: cs, title: 'C#' },
    { name: fs, title: 'F#' },
  ],
  extensions: ['.cs', '.fs'],
  frameworks: [
    rule({ name: 'blazor-wasm', title: 'Blazor WebAssembly', language: cs, kind: 'static', deps: ['Microsoft.AspNetCore.Components.WebAssembly'], build: 'dotnet publish -c Release -o out', rank: 75 }),
    rule({ name: 'giraffe', title: 'Giraffe', language: fs, kind: 'server', deps: ['Giraffe'], port: 8080, build: 'dotnet publish -c Release -o out', start: 'dotnet out/{project}.dll', rank: 70 }),
    rule({ name: 'aspnet-core', title: 'ASP.NET Core', language: cs, kind: 'server', deps: [WEB_SDK], port: 8080, build: 'dotnet publish -c Release -o out', start: 'dotnet out/{project}.dll', rank: 60 }),
  ],
  detect,
};

async function detect(ctx: Ctx): Promise<Detection | undefined> {
  const projects = ctx.glob(/(^|\/)[^/]+\.(cs|fs)proj$/).slice(0, 8);
  if (projects.length === 0) return undefined;
  const main = projects.find((p) => !/test/i.test(p)) ?? projects[0] ?? '';
  const text = (await ctx.text(main)) ?? '';
  const dependencies = depsFromLines(text, /<PackageReference\s+Include="(?<name>[^"]+)"(?:\s+Version="(?<version>[^"]+)")?/, { manifest: main, ecosystem: 'nuget' });
  const sdkLine = text.split('\n').findIndex((l) => l.includes('Microsoft.NET.Sdk.Web'));
  if (sdkLine >= 0) dependencies.push({ name: WEB_SDK, ecosystem: 'nuget', manifest: main, line: sdkLine + 1, dev: false });
  const version = /<TargetFramework>\s*([^<]+)\s*</.exec(text)?.[1];
  const project = main.split('/').pop()?.replace(/\.(cs|fs)proj$/, '') ?? 'app';
  return {
    language: main.endsWith('.fsproj') ? fs : cs,
    ...(version === undefined ? {} : { version }),
    evidence: [ev(main)],
    packageManager: 'nuget',
    dependencies,
    vars: { project },
    weight: 10,
  };
}
