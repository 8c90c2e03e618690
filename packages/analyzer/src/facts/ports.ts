import type { Evidence } from '@scia/api';
import { ev, type Ctx } from '../context.js';

/** PortFinding is a listening port and where it was read. */
export type PortFinding = { port: number; evidence: Evidence };

/**
 * PATTERNS recognise a listening port in source and config: `listen(3000)`,
 * `PORT || 3000`, `getenv("PORT", "8000")`, `port=5000`, `":8080"`, `--port 8000`,
 * `-b 0.0.0.0:8000`, `("0.0.0.0", 8080)`, `server.port=8080`. The port is the first capture.
 */
const PATTERNS: RegExp[] = [
  /\.(?:listen|run|start|serve)\(\s*(?:['"]?(?:0\.0\.0\.0|localhost|127\.0\.0\.1)?:?)?(\d{2,5})\b/,
  /\bPORT\b['"]?[\])]?\s*(?:\|\||\?\?|\bor\b|,|:-|\?:)\s*['"]?(\d{2,5})\b/,
  /\b(?:server\.port|http\.port|server_port|listen_port|port)\b['"]?\s*[=:,]\s*['"]?(\d{2,5})\b/i,
  /['"](?:0\.0\.0\.0|localhost|127\.0\.0\.1)?:(\d{2,5})['"]/,
  /['"](?:0\.0\.0\.0|localhost|127\.0\.0\.1|::)['"]\s*,\s*(\d{2,5})\b/,
  /--port[= ](\d{2,5})\b/,
  /(?:-b|--bind)[= ]\S*:(\d{2,5})\b/,
];

/** Ports of backing services: a `port: 5432` is the database's, not the app's. */
const SERVICE_PORTS = new Set([5432, 3306, 6379, 27017, 5672, 15672, 9092, 2181, 11211, 9200, 9300, 25, 587, 465, 22, 53]);

/** portsIn finds listening ports in one text (a start command, a config file). */
export function portsIn(text: string, file: string, note?: string): PortFinding[] {
  const out: PortFinding[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.length > 400) return;
    for (const re of PATTERNS) {
      const port = Number(re.exec(line)?.[1]);
      if (Number.isInteger(port) && port >= 80 && port <= 65535 && !SERVICE_PORTS.has(port)) {
        out.push({ port, evidence: ev(file, i + 1, note) });
        break;
      }
    }
  });
  return out;
}

const CONFIG_FILES = /(^|\/)(application|bootstrap)\.(properties|ya?ml)$|(^|\/)appsettings\.json$|(^|\/)Properties\/launchSettings\.json$|(^|\/)config\/(puma|dev|prod|runtime)\.(rb|exs)$|(^|\/)(gunicorn\.conf|gunicorn_config)\.py$/;
const ENTRY_NAMES = /(^|\/)(main|app|server|index|application|program|wsgi|asgi|manage|api|run|start)\.\w+$/i;

/** scanPorts looks for listening ports in config files and up to `maxFiles` source files, entry files first. */
export async function scanPorts(ctx: Ctx, extensions: readonly string[], maxFiles = 40): Promise<PortFinding[]> {
  const sources = ctx.files
    .filter((f) => extensions.some((e) => f.path.endsWith(e)) && f.size <= 256 * 1024 && !/(^|\/)(test|tests|spec|__tests__|node_modules|vendor|examples?|fixtures|samples|docs)\//.test(f.path))
    .map((f) => f.path);
  const ordered = [
    ...ctx.glob(CONFIG_FILES),
    ...sources.filter((p) => ENTRY_NAMES.test(p)).sort((a, b) => a.split('/').length - b.split('/').length),
    ...sources,
  ];
  const out: PortFinding[] = [];
  for (const file of [...new Set(ordered)].slice(0, maxFiles)) {
    const text = await ctx.text(file);
    if (text !== undefined) out.push(...portsIn(text, file));
    if (out.length >= 8) break;
  }
  return out;
}
