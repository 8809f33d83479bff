import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../bin/shopstack.mjs', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A temporary directory for one test's data. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `shopstack-${prefix}-`));
}

let emptyDir: string | undefined;

/**
 * An empty working directory for commands, so no config/<env>.json of the repository (or anything
 * else) leaks into them; removed when the test process exits.
 */
function emptyWorkingDir(): string {
  if (!emptyDir) {
    const dir = tempDir('cwd');
    emptyDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return emptyDir;
}

/**
 * The environment of a child process: the parent's, without any ShopStack setting or database URL
 * that would leak into it, plus the given variables.
 */
function childEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('SHOPSTACK_') || key === 'DATABASE_URL' || key === 'PORT' || key === 'HOST') continue;
    env[key] = value;
  }
  return { ...env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...vars };
}

/** A running child process whose output is collected and can be waited on. */
export class RunningProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string>, cwd: string) {
    this.child = spawn(process.execPath, args, {
      env: childEnv(env),
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Resolves with the first match of pattern in stdout; rejects if the process exits or time runs out first. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (exited || Date.now() > deadline) {
        throw new Error(
          `${exited ? 'process exited' : 'timed out'} before ${pattern} appeared\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  /** Kills the process if it still runs (test clean-up). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Starts `shopstack <args>` in a child process. */
export function startCli(
  args: string[],
  env: Record<string, string>,
  cwd = emptyWorkingDir(),
): RunningProcess {
  return new RunningProcess([CLI, ...args], env, cwd);
}

/** Runs `shopstack <args>` to completion. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd = emptyWorkingDir(),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, env, cwd);
  const code = await child.exited;
  return { code, stdout: child.stdout, stderr: child.stderr };
}

/** Starts a TypeScript fixture script (through tsx) in a child process. */
export function startFixture(file: string, env: Record<string, string>): RunningProcess {
  return new RunningProcess(['--import', 'tsx', path.join(FIXTURES, file)], env, path.dirname(FIXTURES));
}

export interface HttpResult {
  status: number;
  body: string;
}

/** One GET on a fresh connection (no keep-alive pool), so a refused connection shows as ECONNREFUSED. */
export function get(url: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
