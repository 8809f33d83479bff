import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every benchmark target listens here; the bench never sends load anywhere else. */
export const BENCH_HOST = '127.0.0.1';

const running = new Set<ChildProcess>();

// Whatever happens to the bench, it must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A TCP port on the loopback interface that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, BENCH_HOST);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

export interface ServerProcess {
  readonly name: string;
  readonly baseUrl: string;
  /** Process id of the server itself (the child runs Node directly, with no wrapper in between). */
  readonly pid: number;
  /** The last lines the server wrote, for diagnosing a failed start. */
  output(): string;
  /** Stops the server: SIGTERM, then SIGKILL if it has not exited within the grace period. */
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  /** Path polled until it answers 200. */
  readyPath: string;
  timeoutMs: number;
}

/** Starts a Node server as a child process and resolves once its ready path answers 200. */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, options.args, {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `code ${code}`;
    running.delete(child);
  });

  const baseUrl = `http://${BENCH_HOST}:${options.port}`;
  const server: ServerProcess = {
    name: options.name,
    baseUrl,
    pid: child.pid!,
    output: () => lines.join('\n'),
    async stop() {
      if (exited !== undefined) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const timedOut = await Promise.race([gone.then(() => false), sleep(15_000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await gone;
      }
    },
  };

  const deadline = Date.now() + options.timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`${options.name} exited during start-up (${exited})`);
      if (Date.now() > deadline)
        throw new Error(`${options.name} was not ready within ${options.timeoutMs / 1000} s`);
      if (await answersOk(baseUrl + options.readyPath)) return server;
      await sleep(250);
    }
  } catch (err) {
    await server.stop();
    const tail = server.output();
    throw new Error(
      `${(err as Error).message}${tail ? `\n--- last output of ${options.name} ---\n${tail}` : ''}`,
      {
        cause: err,
      },
    );
  }
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Fetches JSON from a benchmark target, failing loudly on any non-2xx answer. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

/**
 * Resident memory of a process in MiB (VmRSS of /proc/<pid>/status), or null where /proc does not
 * exist or the process has gone.
 */
export function residentMemoryMiB(pid: number): number | null {
  try {
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? null : Math.round(Number(kib) / 1024);
  } catch {
    return null;
  }
}
