import { fork, type ChildProcess } from 'node:child_process';

/** Messages between the platform and an embedded store's database process. */
export type DatabaseProcessMessage =
  | { type: 'shopstack:database-ready' }
  | { type: 'shopstack:dumped'; id: number; bytes?: number; error?: string };
export interface DumpRequest {
  type: 'shopstack:dump';
  id: number;
  file: string;
}

export interface DatabaseProcessOptions {
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * The process that owns an embedded store's PGlite directory and serves it over the PostgreSQL wire
 * protocol to the store's workers, in both deploy slots (`shopstack database-server`).
 */
export class DatabaseProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly readyPromise: Promise<void>;
  private stopping = false;
  private dumps = 0;
  private readonly pending = new Map<
    number,
    { resolve: (bytes: number) => void; reject: (e: Error) => void }
  >();
  readonly startedAt = Date.now();

  constructor(options: DatabaseProcessOptions) {
    this.child = fork(options.entry, ['database-server'], {
      cwd: options.cwd,
      env: options.env,
      execArgv: [],
      // Its own process group: Ctrl-C at the platform's terminal reaches the platform, which stops it in order.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      this.child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line) options.onOutput?.(line, stream);
      });
    }
    this.child.on('error', () => {});
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    this.readyPromise = new Promise((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.readyPromise.catch(() => {});
    this.child.on('message', (message: DatabaseProcessMessage) => {
      if (message.type === 'shopstack:database-ready') readyResolve();
      if (message.type === 'shopstack:dumped') {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error !== undefined) waiting?.reject(new Error(message.error));
        else waiting?.resolve(message.bytes ?? 0);
      }
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        readyReject(new Error(`the database process exited (code ${code}, signal ${signal})`));
        for (const waiting of this.pending.values())
          waiting.reject(new Error('the database process stopped'));
        this.pending.clear();
        if (!this.stopping) options.onUnexpectedExit?.(code, signal);
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the database serves; rejects if the process exits first or time runs out. */
  async ready(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.readyPromise,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('the database process was not ready in time')),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks the process for a consistent dump of the database into file; resolves with its size. */
  dump(file: string): Promise<number> {
    const id = ++this.dumps;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: 'shopstack:dump', id, file } satisfies DumpRequest);
    });
  }

  /** Closes the database (SIGTERM: open transactions roll back, the directory is written) and waits. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Ends the process at once (tests of a database process that dies). */
  kill(): void {
    this.child.kill('SIGKILL');
  }
}
