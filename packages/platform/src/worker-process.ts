import { fork, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export type WorkerState = 'starting' | 'ready' | 'draining' | 'stopped';

export interface WorkerProcessOptions {
  /** The `shopstack` entry of the release the worker runs (its bin/shopstack.mjs). */
  entry: string;
  /** The command line after the entry, e.g. ['worker']. */
  args: string[];
  /** Flags for Node itself (see WORKER_NODE_OPTIONS). */
  nodeOptions?: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** What the worker says over IPC besides "listening" (notifications to pass on, say). */
  onMessage?: (message: unknown) => void;
  /** The worker ended without being asked to (a crash, a kill -9). */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** Lines the worker writes (its logs), for the platform's own output. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** The message a worker sends its supervisor once it listens. */
export interface ListeningMessage {
  type: 'shopstack:listening';
  port: number;
}

function isListening(message: unknown): message is ListeningMessage {
  const m = message as Partial<ListeningMessage> | null;
  return m?.type === 'shopstack:listening' && typeof m.port === 'number';
}

/** One worker process of a store, as its supervisor sees it: started, readied, drained and stopped. */
export class WorkerProcess {
  state: WorkerState = 'starting';
  /** Requests the gateway has sent this worker that have not finished. */
  inFlight = 0;
  port = 0;
  readonly startedAt = Date.now();
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private stopping = false;
  private idle: (() => void) | undefined;

  constructor(private readonly options: WorkerProcessOptions) {
    this.child = fork(options.entry, options.args, {
      cwd: options.cwd,
      env: options.env,
      execArgv: options.nodeOptions ?? [],
      // Its own process group: Ctrl-C at the platform's terminal reaches the platform, which stops it in order.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      let rest = '';
      this.child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        for (const line of lines) if (line) options.onOutput?.(line, stream);
      });
    }
    this.child.on('message', (message) => {
      if (isListening(message)) this.port = message.port;
      else options.onMessage?.(message);
    });
    this.child.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        const wasStopping = this.stopping;
        this.state = 'stopped';
        this.idle?.();
        if (!wasStopping) options.onUnexpectedExit?.(code, signal);
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sends a message over the worker's IPC channel, if it is still open. */
  send(message: unknown): void {
    if (this.child.connected) this.child.send(message as never, () => {});
  }

  /**
   * Waits until the worker listens and its readiness check passes. Rejects if it exits first or
   * takes longer than timeoutMs (the worker is then stopped).
   */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!exited && Date.now() < deadline) {
      if (this.port && (await this.checkReady())) {
        this.state = 'ready';
        return;
      }
      await sleep(100);
    }
    const why = exited ? 'exited while starting' : `was not ready within ${Math.round(timeoutMs / 1000)} s`;
    await this.kill();
    throw new Error(`worker ${this.pid} ${why}`);
  }

  /** Whether GET /health/ready answers 200. */
  async checkReady(): Promise<boolean> {
    try {
      const response = await request(`${this.origin}/health/ready`, {
        headersTimeout: 2000,
        bodyTimeout: 2000,
      });
      await response.body.dump();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  }

  /** Called when a request the gateway sent here has finished. */
  requestDone(): void {
    this.inFlight--;
    if (this.inFlight <= 0) this.idle?.();
  }

  /**
   * Stops the worker gracefully: it gets no new requests (the caller took it out of rotation), the
   * requests in flight finish (up to drainMs), then SIGTERM lets it close; after stopMs it is killed.
   */
  async stop(drainMs: number, stopMs: number): Promise<void> {
    if (this.state === 'stopped') return;
    this.stopping = true;
    this.state = 'draining';
    if (this.inFlight > 0) {
      await Promise.race([new Promise<void>((resolve) => (this.idle = resolve)), sleep(drainMs)]);
    }
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), stopMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Ends the worker at once (SIGKILL). */
  async kill(): Promise<void> {
    this.stopping = true;
    if (this.state !== 'stopped') this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Resolves when the process has exited, however it ended. */
  whenExited(): Promise<void> {
    return this.exited;
  }
}
