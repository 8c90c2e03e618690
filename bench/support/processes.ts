import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** freePort asks the kernel for a free port on 127.0.0.1 (free when asked: a child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** FunctionProcess is a function binary this bench started, serving plaintext gRPC at `address`. */
export interface FunctionProcess {
  name: string;
  pid: number;
  address: string;
  /** stderr holds the process's last 4 KiB of stderr, for messages when it dies. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * startFunctionProcess runs `node script --insecure --address 127.0.0.1:P
 * --metrics-address 127.0.0.1:Q --health-address ''` with `env` and `nodeArgs`
 * (e.g. --cpu-prof), the way a function's image runs it (without the
 * plaintext health listener, whose default port several processes cannot
 * share), and resolves once the port answers.
 */
export async function startFunctionProcess(name: string, script: string, env: NodeJS.ProcessEnv, opts: { cwd: string; nodeArgs?: string[] }): Promise<FunctionProcess> {
  const port = await freePort();
  const metrics = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, '--insecure', '--address', address, '--metrics-address', `127.0.0.1:${metrics}`, '--health-address', ''], {
    cwd: opts.cwd, env, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.on('data', (b: Buffer) => { tail = (tail + b.toString()).slice(-4096); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${name}: no pid`);
  await waitForPort(port, child, 20_000).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`cannot start ${name}: ${(err as Error).message}\n${tail}`);
  });
  return { name, pid, address, stderr: () => tail, stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const TICKS_PER_SECOND = 100;

/**
 * cpuMs is the CPU time (user + system, all threads) process `pid` has used,
 * from /proc/<pid>/stat: what process.cpuUsage() would report inside it.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** memoryMiB is process `pid`'s resident set now and its peak (VmRSS, VmHWM), in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}
