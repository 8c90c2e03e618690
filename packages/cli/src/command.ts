/** Io is what a command may touch: its output streams and environment, injected so tests can capture them. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Command is one `scia` subcommand. `run` returns the exit status; it writes a
 * one-line reason to stderr before returning non-zero. Machine-readable output
 * (`--json`, YAML streams) goes to stdout and nothing else does.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: Io): Promise<number>;
}

/** CommandLoader imports a command on demand, so `scia analyze` never loads the database driver. */
export type CommandLoader = () => Promise<Command>;
