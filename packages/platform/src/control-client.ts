import { existsSync } from 'node:fs';
import { Client } from 'undici';
import type { ProgressLine } from './control-server.js';
import type { PlatformLayout } from './layout.js';

/** The running platform's control socket could not be reached. */
export class PlatformNotRunning extends Error {
  /** An error of the environment, not a bug: the command line prints its message alone. */
  readonly code = 'PLATFORM_NOT_RUNNING';
  constructor(socket: string) {
    super(`The platform is not running (no answer on ${socket}); start it with "shopstack platform".`);
    this.name = 'PlatformNotRunning';
  }
}

/** The platform refused or failed an operation (a deploy refused, a store busy, ...); the message says why. */
export class OperationFailed extends Error {
  readonly code = 'OPERATION_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'OperationFailed';
  }
}

/** Talks to a running platform over its control socket. */
export class ControlClient {
  private readonly client: Client;

  constructor(private readonly layout: PlatformLayout) {
    this.client = new Client('http://platform', { socketPath: layout.controlSocket });
  }

  private async send(method: 'GET' | 'POST', path: string, body?: unknown) {
    if (!existsSync(this.layout.controlSocket)) throw new PlatformNotRunning(this.layout.controlSocket);
    try {
      return await this.client.request({
        method,
        path,
        headers: body !== undefined ? { 'content-type': 'application/json' } : {},
        body: body !== undefined ? JSON.stringify(body) : undefined,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ENOENT')
        throw new PlatformNotRunning(this.layout.controlSocket);
      throw err;
    }
  }

  /** GET a JSON answer. */
  async get<T>(path: string): Promise<T> {
    const response = await this.send('GET', path);
    const body = (await response.body.json()) as T & { message?: string };
    if (response.statusCode >= 400)
      throw new OperationFailed(body.message ?? `control ${path}: ${response.statusCode}`);
    return body;
  }

  /** POST and get a JSON answer. */
  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await this.send('POST', path, body);
    const answer = (await response.body.json()) as T & { message?: string };
    if (response.statusCode >= 400)
      throw new OperationFailed(answer.message ?? `control ${path}: ${response.statusCode}`);
    return answer;
  }

  /**
   * POSTs an operation and hands each progress line to onStep as it arrives; resolves with the
   * operation's result, rejects with its failure.
   */
  async operation(
    path: string,
    onStep: (message: string, elapsedMs: number) => void,
    body: unknown = {},
  ): Promise<{ elapsedMs: number; result?: unknown }> {
    const response = await this.send('POST', path, body);
    if (response.statusCode >= 400) {
      const answer = (await response.body.json()) as { message?: string };
      throw new OperationFailed(answer.message ?? `control ${path}: ${response.statusCode}`);
    }
    let rest = '';
    let end: ProgressLine | undefined;
    for await (const chunk of response.body) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const text of lines) {
        if (!text) continue;
        const line = JSON.parse(text) as ProgressLine;
        if (line.type === 'step') onStep(line.message, line.elapsedMs);
        else end = line;
      }
    }
    if (!end) throw new OperationFailed('the platform stopped before the operation ended');
    if (end.type === 'failed') throw new OperationFailed(end.message);
    return end.type === 'done' ? { elapsedMs: end.elapsedMs, result: end.result } : { elapsedMs: 0 };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
