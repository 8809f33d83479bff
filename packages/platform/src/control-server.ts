import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { deployStore, rollbackStore } from './deploy.js';
import type { Platform } from './platform.js';
import type { StepReport } from './store-group.js';

/** One line of an operation's progress on the control socket (newline-delimited JSON). */
export type ProgressLine =
  | { type: 'step'; message: string; elapsedMs: number }
  | { type: 'done'; elapsedMs: number; result?: unknown }
  | { type: 'failed'; message: string; elapsedMs: number };

/** Streams an operation's steps as they happen, then its end: the command line prints each one. */
async function streamed(reply: FastifyReply, work: (report: StepReport) => Promise<unknown>): Promise<void> {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const started = Date.now();
  const write = (line: ProgressLine) => out.write(`${JSON.stringify(line)}\n`);
  try {
    const result = await work((message) => write({ type: 'step', message, elapsedMs: Date.now() - started }));
    write({ type: 'done', elapsedMs: Date.now() - started, ...(result !== undefined ? { result } : {}) });
  } catch (err) {
    write({ type: 'failed', message: (err as Error).message, elapsedMs: Date.now() - started });
  }
  out.end();
}

/**
 * The platform's control API, on a Unix socket in the platform directory (only its owner can reach
 * it): the command line's restart, deploy, rollback, backup and status talk to the running platform here.
 */
export async function buildControlServer(platform: Platform): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const storeParams = {
    type: 'object',
    properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$' } },
    required: ['id'],
  } as const;

  app.get('/status', async () => ({ gateway: platform.url, pid: process.pid, stores: platform.status() }));
  app.post('/sync', (_request, reply) => streamed(reply, (report) => platform.sync(report)));
  app.post('/reload', (_request, reply) => streamed(reply, (report) => platform.reload(report)));
  app.post<{ Params: { id: string } }>(
    '/stores/:id/restart',
    { schema: { params: storeParams } },
    (request, reply) => streamed(reply, (report) => platform.restart(request.params.id, report)),
  );
  app.post<{ Params: { id: string }; Body: { version?: string } }>(
    '/stores/:id/deploy',
    {
      schema: {
        params: storeParams,
        body: {
          type: 'object',
          properties: { version: { type: 'string', minLength: 1, maxLength: 1000 } },
          additionalProperties: false,
        },
      },
    },
    (request, reply) =>
      streamed(reply, (report) => deployStore(platform, request.params.id, request.body?.version, report)),
  );
  app.post<{ Params: { id: string } }>(
    '/stores/:id/rollback',
    { schema: { params: storeParams } },
    (request, reply) => streamed(reply, (report) => rollbackStore(platform, request.params.id, report)),
  );
  app.post<{ Params: { id: string } }>(
    '/stores/:id/reopen',
    { schema: { params: storeParams } },
    (request, reply) => streamed(reply, (report) => platform.reopen(request.params.id, report)),
  );
  app.post<{ Params: { id: string }; Body: { file: string } }>(
    '/stores/:id/dump',
    {
      schema: {
        params: storeParams,
        body: {
          type: 'object',
          properties: { file: { type: 'string', pattern: '^/' } },
          required: ['file'],
          additionalProperties: false,
        },
      },
    },
    async (request) => ({ bytes: await platform.dumpDatabase(request.params.id, request.body.file) }),
  );
  return app;
}
