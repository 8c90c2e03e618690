import { COMMANDS } from './commands/index.js';
import type { Io } from './command.js';

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length), 8);
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['Usage: scia COMMAND [ARGS]', '', 'Commands:', ...lines, '', 'Run `scia COMMAND --help` for a command\'s flags.', ''].join('\n');
}

/** main runs the `scia` command line and returns its exit status. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    io.stderr.write(`scia: unknown command ${JSON.stringify(name)}; run scia --help\n`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (err) {
    // The one catch-all: a command's unexpected failure becomes a one-line reason.
    io.stderr.write(`scia ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (io.env['SCIA_DEBUG'] === '1' && err instanceof Error && err.stack !== undefined) io.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
