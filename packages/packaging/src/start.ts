import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Bundle } from './bundle.js';

/** Started is a bundle's process serving on loopback. */
export interface Started {
  /** address is the gRPC host:port it serves on. */
  address: string;
  /** listenMs is the time from spawn to its first "serving" log line. */
  listenMs: number;
  /** logs is what it wrote to stderr so far. */
  logs(): string;
  /** logged resolves with the time from spawn to the first JSON log line whose msg is `msg`, or undefined after `timeoutMs`. */
  logged(msg: string, timeoutMs: number): Promise<number | undefined>;
  stop(): Promise<number | null>;
}

/** StartOptions run a bundle as the image would: a user, an environment, a time limit. */
export interface StartOptions {
  uid?: number;
  gid?: number;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/**
 * startBundle runs `bundle`'s entry with Node from its root's entry directory
 * (the image's WORKDIR), insecure on an ephemeral loopback port, and resolves
 * once it logs the address it serves on; it rejects with its logs when it
 * exits or does not listen within the time limit.
 */
export function startBundle(bundle: Bundle, opts: StartOptions): Promise<Started> {
  const cwd = join(bundle.root, bundle.entry, '..', '..');
  const args = [join(bundle.root, bundle.entry), '--insecure', '--address', '127.0.0.1:0', '--metrics-address', '127.0.0.1:0', '--health-address', '127.0.0.1:0'];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: opts.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(opts.uid === undefined ? {} : { uid: opts.uid }),
    ...(opts.gid === undefined ? {} : { gid: opts.gid }),
  });
  let stderr = '';
  const seen = new Map<string, number>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`cannot start ${bundle.entry}: not listening after ${opts.timeoutMs} ms\n${stderr}`));
    }, opts.timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      for (const msg of messages(chunk)) if (!seen.has(msg)) seen.set(msg, performance.now() - started);
      const address = servingAddress(stderr);
      if (address === undefined) return;
      clearTimeout(timer);
      const logged = async (msg: string, timeoutMs: number): Promise<number | undefined> => {
        for (const deadline = Date.now() + timeoutMs; !seen.has(msg) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
        return seen.get(msg);
      };
      resolve({ address, listenMs: performance.now() - started, logs: () => stderr, logged, stop });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${bundle.entry}: exited with ${String(code)}\n${stderr}`));
    });
  });
}

/** messages are the `msg` of the whole JSON log lines in `chunk` (the runtime writes a line at a time). */
function messages(chunk: string): string[] {
  return chunk.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { msg?: unknown };
      return typeof entry.msg === 'string' ? [entry.msg] : [];
    } catch {
      return [];
    }
  });
}

/** servingAddress finds the host:port of the first JSON log line that announces one. */
function servingAddress(logs: string): string | undefined {
  for (const line of logs.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { address?: unknown; msg?: unknown };
      if (typeof entry.address === 'string' && /:\d+$/.test(entry.address) && /serving/.test(String(entry.msg))) return entry.address;
    } catch {
      // a partial line: wait for the rest
    }
  }
  return undefined;
}
