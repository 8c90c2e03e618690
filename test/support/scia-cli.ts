import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '@scia/cli';

/** REPO_ROOT is the repository's root, where the `scia` commands of the tests run. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Capture is a stream that keeps everything written to it as text. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** SciaRun is what one `scia` command printed and its exit code. */
export interface SciaRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** runScia runs the `scia` command in-process at the repository root, with `env` as its whole environment. */
export async function runScia(args: string[], env: Record<string, string>): Promise<SciaRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, env, cwd: REPO_ROOT });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
