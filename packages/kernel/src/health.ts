import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Database } from './database.js';
import type { EventBus } from './events/bus.js';

export interface HealthState {
  shuttingDown: boolean;
}

const Check = Type.Object({
  status: Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail')]),
  componentType: Type.String(),
  observedValue: Type.Optional(Type.Number()),
  observedUnit: Type.Optional(Type.String()),
  output: Type.Optional(Type.String()),
  time: Type.String(),
});

const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
  version: Type.String(),
  serviceId: Type.String(),
  checks: Type.Record(Type.String(), Type.Array(Check)),
});

const PING_TIMEOUT_MS = 2000;

async function pingWithTimeout(database: Database): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([database.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /health/live (the process answers) and GET /health/ready (it can serve: not draining, database and event bus reachable). */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { health: HealthState; database: Database; bus?: EventBus; version: string; serviceId: string },
): void {
  const schema = (operationId: string, summary: string) => ({
    operationId,
    tags: ['operations'],
    summary,
    response: { 200: HealthBody, 503: HealthBody },
  });

  app.get(
    '/health/live',
    { schema: schema('getLiveness', 'Liveness: the process is up') },
    async (_request, reply) => {
      reply.type('application/health+json');
      return { status: 'pass', version: deps.version, serviceId: deps.serviceId, checks: {} };
    },
  );

  app.get(
    '/health/ready',
    { schema: schema('getReadiness', 'Readiness: the process can serve traffic') },
    async (_request, reply) => {
      const time = new Date().toISOString();
      const checks: Record<string, Array<Record<string, unknown>>> = {};
      checks['process:draining'] = [
        {
          status: deps.health.shuttingDown ? 'fail' : 'pass',
          componentType: 'system',
          output: deps.health.shuttingDown ? 'shutting down' : undefined,
          time,
        },
      ];
      try {
        const latency = await pingWithTimeout(deps.database);
        checks[`database:${deps.database.kind}`] = [
          {
            status: 'pass',
            componentType: 'datastore',
            observedValue: Math.round(latency * 100) / 100,
            observedUnit: 'ms',
            time,
          },
        ];
      } catch (err) {
        checks[`database:${deps.database.kind}`] = [
          { status: 'fail', componentType: 'datastore', output: (err as Error).message, time },
        ];
      }
      if (deps.bus) {
        const started = performance.now();
        try {
          await deps.bus.ping();
          checks[`bus:${deps.bus.kind}`] = [
            {
              status: 'pass',
              componentType: 'component',
              observedValue: Math.round((performance.now() - started) * 100) / 100,
              observedUnit: 'ms',
              time,
            },
          ];
        } catch (err) {
          // Events wait in the outbox while the bus is away, and checkout goes on: a warning, not a failure.
          checks[`bus:${deps.bus.kind}`] = [
            { status: 'warn', componentType: 'component', output: (err as Error).message, time },
          ];
        }
      }
      const ok = Object.values(checks).every((list) => list.every((c) => c.status !== 'fail'));
      reply.code(ok ? 200 : 503).type('application/health+json');
      return { status: ok ? 'pass' : 'fail', version: deps.version, serviceId: deps.serviceId, checks };
    },
  );
}
